"""Classified letters' secret text, matched only for the readers who may see them — never in the clear.

The shared index holds a ลับ / ลับมาก letter's register fields that are not secret (ที่, numbers,
parties, units, dates) in the clear, and its whole text (subject, remarks, การปฏิบัติ, endorsements,
instructions, drafted text) sealed (:mod:`saraban.search.sealed`).  For a reader who may see classified
letters (cleared, with need-to-know: ``visible_letters_q``), the sealed texts of the classified letters are
opened here and matched by the same rule as the backends (:func:`analyse.matches`); of those that match, only
the ones the reader may see (and the filters let through) are kept.  The work is bounded: the newest
:data:`CAP` classified letters.  Older ones are still found by their register fields.  Their files' text is
not read at all (it is encrypted at rest).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet

from saraban.access.principal import Principal
from saraban.kernel.models import Secrecy
from saraban.letters.models import Letter
from saraban.storage.errors import KeyUnavailable

from . import sealed
from .analyse import Term, fold, matching_starts, word_starts
from .models import SearchDoc
from .ranking import HEAD_POINTS

T = TypeVar("T")
CAP = 5000
HEAD = 300
"""The start of a live match's text that counts as its head for ranking (its subject comes first)."""
FIRST_ASK = 50
"""How many matched rows the access rule is first asked about (then four times as many, and so on)."""
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Row:
    """A classified letter's index row as live matching reads it: its clear part (what the index finds it
    by) and its sealed part opened and folded."""

    letter_id: uuid.UUID
    created_at: dt.datetime
    body: str
    starts: frozenset[str]  # of its clear words (analyse.word_starts)
    text: str
    folded: str
    secret_starts: frozenset[str]  # of its sealed words


_cache: OrderedDict[str, tuple[str, _Row]] = OrderedDict()
"""Letter id as the database writes it (:func:`_key`) → (digest, row) of the rows read and opened in this
process."""


def _key(letter_id: uuid.UUID) -> str:
    """A letter id as the database's text (:func:`_key_column`): 5,000 of them read as text and compared as such,
    not made into UUIDs (5 ms a query)."""
    return str(letter_id) if connection.vendor == "postgresql" else letter_id.hex


def _key_column() -> str:
    """The row's letter id read as :func:`_key`'s text (SQLite keeps it as hex text already)."""
    return "letter_id::text" if connection.vendor == "postgresql" else "letter_id"


def _opened(rows: list[tuple[str, str]]) -> list[_Row]:
    """These rows (:func:`_key`, digest) read and their sealed texts opened (one query for those not yet read in
    this process; a row is kept while it is unchanged: its digest is kept with it).  A query then reads only
    ids and digests."""
    cached = [(key, d, _cache.get(key)) for key, d in rows]
    out = [hit[1] for _, d, hit in cached if hit is not None and hit[0] == d]
    wanted = {key: d for key, d, hit in cached if hit is None or hit[0] != d}
    if wanted:
        for lid, digest, created_at, body, words, data in SearchDoc.objects.filter(
                letter_id__in=[uuid.UUID(k) for k in wanted]).values_list(
                "letter_id", "digest", "letter__created_at", "body", "words", "sealed"):
            if data is not None and wanted.get(_key(lid)) == digest:
                try:
                    text, secret_words = sealed.unseal(lid, bytes(data))
                except (KeyUnavailable, ValueError):  # sealed under a key not here (a restore without keys/): skip it
                    log.warning("search: the sealed text of letter %s cannot be opened; run `saraban search reindex`",
                                lid)
                    continue
                _cache[_key(lid)] = (digest, _Row(lid, created_at, body, word_starts(words.split()), text, fold(text),
                                                  word_starts(secret_words.split())))
                out.append(_cache[_key(lid)][1])
        while len(_cache) > CAP * 2:
            _cache.popitem(last=False)
    return out


class _Snapshot:
    """The rows of one read of the newest classified rows, opened, with their folded texts joined into one
    string: a term is looked for once in it, not once in each row (a sender over 5,000 rows at 1,000,000
    letters: 1.4–2.6 ms, against 2.7–4.3).  Kept while the next read gives the same ids and digests: a query
    then neither looks each row up in the cache nor filters them (3 ms).  A cleared reader's live matching for
    a two-term query went from 15 to 8 ms."""

    def __init__(self, read: list[tuple[str, str]], rows: list[_Row]) -> None:
        self.read = read
        self.rows = rows
        self.joined = "\x00".join(r.folded for r in self.rows)
        self.starts: list[int] = []
        at = 0
        for r in self.rows:
            self.starts.append(at)
            at += len(r.folded) + 1

    def containing(self, text: str) -> list[_Row]:
        """The rows whose folded text contains ``text`` (a match across two rows' texts is passed over)."""
        out: list[_Row] = []
        at = self.joined.find(text)
        while at >= 0:
            i = bisect_right(self.starts, at) - 1
            end = self.starts[i] + len(self.rows[i].folded)
            if at + len(text) <= end:
                out.append(self.rows[i])
                at = self.joined.find(text, end)
            else:
                at = self.joined.find(text, at + 1)
        return out

    def matching(self, terms: list[Term]) -> list[_Row]:
        """The rows whose whole text matches every term (:func:`analyse.matching_starts`): the longest term
        looked for in the joined texts, the others in the rows that hold it."""
        long = [t for t in terms if not t.short]
        if not long:
            return matching_starts(self.rows, terms, attrgetter("folded"), attrgetter("secret_starts"))
        first = max(long, key=lambda t: len(t.text))
        rest = [t for t in terms if t is not first]
        return matching_starts(self.containing(first.text), rest, attrgetter("folded"), attrgetter("secret_starts"))


_last: _Snapshot | None = None


def _snapshot(read: list[tuple[str, str]]) -> _Snapshot:
    """The snapshot of these rows (ids and digests, as read): the last one if they are the same."""
    global _last
    last = _last
    if last is None or last.read != read:
        last = _last = _Snapshot(read, _opened(read))
    return last


def best_rank(terms: list[Term]) -> int:
    """The highest rank a live match can have: 1, and :data:`~saraban.search.ranking.HEAD_POINTS` for each term of
    three or more characters in the start of its text (:func:`live_matches`)."""
    return 1 + HEAD_POINTS * sum(1 for t in terms if not t.short)


@dataclass(frozen=True)
class LiveMatch:
    """A classified letter found through its sealed text: ranked and dated for ordering among the other
    results; its letter is loaded (:func:`letters`) only when it lands on the page shown."""

    letter_id: Any
    rank: int
    created_at: dt.datetime
    text: str  # the opened text, for the snippet


def live_matches(p: Principal, terms: list[Term], visible: QuerySet[Letter], *, exclude: set[Any],
                 cap: int | None = CAP, need: int | None = None) -> list[LiveMatch]:
    """Classified letters in ``visible`` that match ``terms`` only through their sealed text (those found by
    their register fields come from the index), in the results' order (rank, newest, id).  With ``need``,
    only the first ``need`` of them (or all, if fewer): the rest could neither reach the page nor change a
    count already past its cap."""
    if not terms or p.clearance < 1:
        return []
    # the newest classified rows (a partial index) matched first, whoever may see them, and only the few that
    # match then asked whether this reader may see them: asking the access rule for each of 1,946 rows before
    # matching took 22 ms of SQL a query (a join from the visible letters instead read all 100,000 first).
    # Nothing of a letter the reader may not see leaves this function, not even whether it matched.
    # (from the partial index alone on PostgreSQL, by a plain cursor: through the ORM's rows, 5,000 ids and
    # digests took 40 ms, this 6)
    with connection.cursor() as cur:
        limit = [] if cap is None else [cap]
        cur.execute(f"SELECT {_key_column()}, digest FROM {SearchDoc._meta.db_table} "
                    "WHERE classified AND sealed IS NOT NULL ORDER BY id DESC" + " LIMIT %s" * len(limit), limit)
        rows = cur.fetchall()
    # the rows whose whole text matches, less those the index finds by their clear fields (and those on the page)
    candidates = [r for r in _snapshot(rows).matching(terms) if r.letter_id not in exclude]
    by_clear = {r.letter_id for r in matching_starts(candidates, terms, attrgetter("body"), attrgetter("starts"))}
    found = [LiveMatch(r.letter_id, 1 + sum(HEAD_POINTS for t in terms if not t.short and t.text in r.folded[:HEAD]),
                       r.created_at, r.text) for r in candidates if r.letter_id not in by_clear]
    found = in_order(found, lambda m: (m.rank, m.created_at, m.letter_id))
    # asked from the matched rows, each by its own Exists (a ``pk IN (…)`` on the visible letters made SQLite
    # scan all 100,000 of them: 565 ms for a one-character query matching every classified row), in growing
    # batches in the results' order, until ``need`` are known: a one-character query matches nearly every
    # classified row, and asking about all 1,946 of them took most of a cleared reader's query
    seen = visible.filter(secrecy__in=[Secrecy.CONFIDENTIAL, Secrecy.SECRET], pk=OuterRef("letter_id"))
    out: list[LiveMatch] = []
    at, size = 0, FIRST_ASK if need is not None else len(found)
    while at < len(found) and (need is None or len(out) < need):
        batch = found[at:at + size]
        mine = set(SearchDoc.objects.filter(letter_id__in=[m.letter_id for m in batch]).filter(Exists(seen))
                   .values_list("letter_id", flat=True))
        out += [m for m in batch if m.letter_id in mine]
        at, size = at + len(batch), size * 4
    return out if need is None else out[:need]


def in_order(items: list[T], key: Callable[[T], tuple[int, dt.datetime, Any]]) -> list[T]:
    """``items`` in the results' order, the database's ``-rank, -created_at, -pk``, given each one's rank,
    time and letter id (:func:`saraban.search.query._page` merges the two sources by it, and pages must be
    slices of one order: letters made in the same instant tie on the first two)."""
    return sorted(sorted(items, key=lambda i: str(key(i)[2]), reverse=True),
                  key=lambda i: (-key(i)[0], -key(i)[1].timestamp()))


def letters(found: list[LiveMatch]) -> dict[Any, Letter]:
    """The letters of these matches, as the results page shows them."""
    return {letter.pk: letter for letter in Letter.objects.filter(pk__in=[m.letter_id for m in found])
            .select_related("search_doc").prefetch_related("entries__book")}
