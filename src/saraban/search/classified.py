"""Classified letters' secret text, matched live for the readers cleared for it — never indexed.

The shared index holds only a ลับ / ลับมาก letter's register fields that are not secret (ที่, numbers,
parties, units, dates).  A reader who may see classified letters (cleared, with need-to-know:
``visible_letters_q``) also has their subject, remarks, การปฏิบัติ, endorsements, instructions and drafted
text matched here, read from the tables they already live in.  The scan is bounded: the newest
:data:`CAP` classified letters the reader may see (filters applied); older ones are still found by their
register fields.  Their files' text is not read (it is encrypted at rest).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from saraban.access.principal import Principal
from saraban.kernel.models import Secrecy
from saraban.letters.models import Letter, LetterStatus

from .analyse import Term, fold, matches, plain_tokens, snippet, words
from .document import _join, load, parts_of

CAP = 2000


def _text(letter: Letter) -> tuple[str, str]:
    p = parts_of(letter)
    head = _join([p.subject, *p.public])
    return head, _join([head, *p.secret])


def live_matches(p: Principal, terms: list[Term], visible: QuerySet[Letter], *, exclude: set[Any],
                 cap: int | None = CAP) -> list[tuple[Letter, int, list[tuple[str, bool]]]]:
    """Classified letters in ``visible`` that match ``terms`` only through their secret text (those found
    by their register fields come from the index), with a rank and a snippet."""
    if not terms or p.clearance < 1:
        return []
    qs = visible.filter(secrecy__in=[Secrecy.CONFIDENTIAL, Secrecy.SECRET]).exclude(status=LetterStatus.OUTSIDE)
    ids: list[uuid.UUID] = list(qs.order_by("-created_at").values_list("pk", flat=True)[:cap])
    ids = [i for i in ids if i not in exclude]
    out = []
    for letter in load(ids):
        doc = getattr(letter, "search_doc", None)
        if doc is not None and matches(doc.body, terms, set(doc.words.split())):
            continue  # the index finds it by its register fields
        head, text = _text(letter)
        folded = fold(text)
        if not matches(folded, terms, set(words(head)) | set(plain_tokens(text))):
            continue
        rank = 1 + sum(4 for t in terms if not t.short and t.text in fold(head))
        out.append((letter, rank, snippet(text, terms)))
    return out
