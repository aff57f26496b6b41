"""Classified letters' secret text, matched only for the readers who may see them — never in the clear.

The shared index holds a ลับ / ลับมาก letter's register fields that are not secret (ที่, numbers,
parties, units, dates) in the clear, and its whole text (subject, remarks, การปฏิบัติ, endorsements,
instructions, drafted text) sealed (:mod:`saraban.search.sealed`).  For a reader who may see classified
letters (cleared, with need-to-know: ``visible_letters_q``), the sealed texts of the classified letters
they may see are opened here and matched by the same rule as the backends (:func:`analyse.matches`).
The work is bounded: the newest :data:`CAP` such letters (filters applied).  Older ones are still found by
their register fields.  Their files' text is not read at all (it is encrypted at rest).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from django.db.models import QuerySet

from saraban.access.principal import Principal
from saraban.kernel.models import Secrecy
from saraban.letters.models import Letter
from saraban.storage.errors import KeyUnavailable

from . import sealed
from .analyse import Term, fold, matches, snippet
from .models import SearchDoc

CAP = 5000
log = logging.getLogger(__name__)


_cache: OrderedDict[tuple[Any, str], tuple[str, str, frozenset[str]]] = OrderedDict()


def _opened(rows: list[tuple[Any, str]]) -> dict[Any, tuple[str, str, frozenset[str]]]:
    """These rows' sealed texts opened and folded (one query for those not yet open in this process; an
    opened text is kept while its row is unchanged: the key holds the row's digest)."""
    missing = [(lid, d) for lid, d in rows if (lid, d) not in _cache]
    if missing:
        wanted = dict(missing)
        for lid, digest, data in SearchDoc.objects.filter(letter_id__in=list(wanted)).values_list(
                "letter_id", "digest", "sealed"):
            if data is not None and wanted.get(lid) == digest:
                try:
                    text, words = sealed.unseal(lid, bytes(data))
                except (KeyUnavailable, ValueError):  # sealed under a key not here (a restore without keys/): skip it
                    log.warning("search: the sealed text of letter %s cannot be opened; run `saraban search reindex`",
                                lid)
                    continue
                _cache[(lid, digest)] = (text, fold(text), frozenset(words.split()))
        while len(_cache) > CAP * 2:
            _cache.popitem(last=False)
    return {lid: _cache[(lid, d)] for lid, d in rows if (lid, d) in _cache}


def live_matches(p: Principal, terms: list[Term], visible: QuerySet[Letter], *, exclude: set[Any],
                 cap: int | None = CAP) -> list[tuple[Letter, int, list[tuple[str, bool]]]]:
    """Classified letters in ``visible`` that match ``terms`` only through their sealed text (those found by
    their register fields come from the index), with a rank and a snippet."""
    if not terms or p.clearance < 1:
        return []
    rows = SearchDoc.objects.filter(
        classified=True, sealed__isnull=False,
        letter__in=visible.filter(secrecy__in=[Secrecy.CONFIDENTIAL, Secrecy.SECRET]).values("pk"),
    ).order_by("-letter__created_at").values_list("letter_id", "body", "words", "digest")[:cap]
    found: dict[Any, tuple[int, list[tuple[str, bool]]]] = {}
    todo = [(lid, digest) for lid, body, words, digest in rows
            if lid not in exclude and not matches(body, terms, set(words.split()))]  # else the index finds it
    for letter_id, (text, folded, secret_words) in _opened(todo).items():
        if matches(folded, terms, secret_words):
            head = folded[:300]
            found[letter_id] = (1 + sum(4 for t in terms if not t.short and t.text in head), snippet(text, terms))
    if not found:
        return []
    letters = Letter.objects.filter(pk__in=list(found)).select_related("search_doc").prefetch_related("entries__book")
    return [(letter, *found[letter.pk]) for letter in letters]
