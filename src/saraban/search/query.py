"""Searching letters: the query's terms, the filters, the access rules, ranking, counts and snippets.

Every result comes from ``visible_letters(p)`` (:mod:`saraban.letters.policy`) narrowed by the filters and
the backend's match: a letter the reader may not see is never counted, faceted, ranked or cut a snippet
from.  Classified letters' secret text is matched live for readers cleared for them
(:mod:`saraban.search.classified`).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Value

from saraban.access.principal import Principal
from saraban.letters.models import Letter, LetterFile
from saraban.letters.policy import visible_letters_q
from saraban.registry.models import RegisterEntry
from saraban.routing.models import OPEN_STATUSES, Step, StepKind

from . import classified, index
from .analyse import Term, parse, snippet
from .backends import backend
from .models import SearchDoc

SHORT_WINDOW = 20_000
COUNT_CAP = 1000
"""A query with terms looks at its newest ``window() + 1`` matches (by index row, newest first;
``SARABAN_SEARCH_WINDOW``, default ``COUNT_CAP``): they are counted (more read "more than 1,000"), faceted
and ranked.  A word found in every letter is then answered from the newest rows in tens of milliseconds,
not by ranking 100,000 matches; an older letter is found by narrowing the query (another word, a year, a
book, a unit)."""
MAX_LIMIT = 100


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    urgency: str = ""
    secrecy: str = ""
    direction: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    unit: str = ""  # a unit's code: the registering unit, or a unit that registered it in its own book
    book: str = ""  # a register book kind
    year: int | None = None  # B.E. year of a registration
    status: str = ""
    has_enclosures: bool | None = None
    assigned_to_me: bool = False


@dataclass
class Hit:
    letter: Letter
    rank: int
    parts: list[tuple[str, bool]]
    registration: str = ""


@dataclass
class Results:
    query: str
    terms: list[Term]
    hits: list[Hit]
    total: int
    total_capped: bool
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    took_ms: float = 0.0


def _filtered(qs: QuerySet[Letter], f: Filters, p: Principal) -> QuerySet[Letter]:
    simple = {"kind": f.kind, "urgency": f.urgency, "secrecy": f.secrecy, "status": f.status,
              "direction": f.direction}
    qs = qs.filter(**{k: v for k, v in simple.items() if v})
    if f.date_from:
        qs = qs.filter(letter_date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(letter_date__lte=f.date_to)
    entries = RegisterEntry.objects.filter(letter=OuterRef("pk"))
    if f.book:
        entries = entries.filter(book__kind=f.book)
    if f.year:
        entries = entries.filter(book__year_be=f.year)
    if f.unit:
        qs = qs.filter(Q(unit__code=f.unit) | Exists(RegisterEntry.objects.filter(letter=OuterRef("pk"),
                                                                                   book__unit__code=f.unit)))
    if f.book or f.year:
        qs = qs.filter(Exists(entries))
    if f.has_enclosures is not None:
        enc = Exists(LetterFile.objects.filter(letter=OuterRef("pk"), role="enclosure"))
        qs = qs.filter(enc if f.has_enclosures else ~enc)
    if f.assigned_to_me:
        qs = qs.filter(Exists(Step.objects.filter(letter=OuterRef("pk"), kind=StepKind.ASSIGN,
                                                  to_person_id=p.person_id, status__in=OPEN_STATUSES)))
    return qs


def qs_without_terms(p: Principal, f: Filters) -> QuerySet[Letter]:
    return _filtered(Letter.objects.filter(visible_letters_q(p)), f, p)


def short_since() -> int:
    """Queries of only one- or two-character terms look at the newest :data:`SHORT_WINDOW` index rows (rows
    ids grow as letters are indexed): prefixes that short match a large part of everything, and this keeps
    them bounded in time on both backends."""
    newest = SearchDoc.objects.aggregate(m=Max("id"))["m"] or 0
    return max(0, newest - int(getattr(settings, "SARABAN_SEARCH_SHORT_WINDOW", SHORT_WINDOW)))


def window() -> int:
    return int(getattr(settings, "SARABAN_SEARCH_WINDOW", COUNT_CAP))


def _since(terms: list[Term]) -> int:
    return short_since() if terms and all(t.short for t in terms) else 0


def _scope(p: Principal, terms: list[Term], f: Filters) -> tuple[QuerySet[Letter], int]:
    """The letters ``p`` may see that pass the filters (within a short query's window), and that window."""
    since = _since(terms)
    qs = qs_without_terms(p, f)
    return (qs.filter(search_doc__id__gt=since) if since else qs), since


def candidates(p: Principal, terms: list[Term], f: Filters) -> QuerySet[Letter]:
    """The letters ``p`` may see that pass the filters and match every term (the shared index)."""
    if not terms:
        return qs_without_terms(p, f)
    qs, since = _scope(p, terms, f)
    return backend().matching(qs, terms, since=since)


def newest(p: Principal, terms: list[Term], f: Filters, n: int) -> QuerySet[Letter]:
    """The newest ``n`` of :func:`candidates` (by index row: rows are written as letters are made)."""
    qs, since = _scope(p, terms, f)
    return backend().newest(qs, terms, n, since=since)


def _registration(letter: Letter) -> str:
    entries = sorted(letter.entries.all(), key=lambda e: e.registered_at)
    return entries[0].display + f"/{entries[0].book.year_be}" if entries and entries[0].display.isdigit() else \
        (entries[0].display if entries else letter.their_ref)


def facets_of(qs: QuerySet[Letter]) -> dict[str, dict[str, int]]:
    """How many of the (visible, matching) letters fall in each kind, urgency and secrecy."""
    out: dict[str, dict[str, int]] = {}
    for name in ("kind", "urgency", "secrecy"):
        rows = qs.order_by().values(name).annotate(n=Count("pk"))
        out[name] = {r[name]: r["n"] for r in rows}
    return out


def search(p: Principal, query: str = "", f: Filters | None = None, *, limit: int = 20, offset: int = 0,
           facets: bool = False) -> Results:
    """Ranked letters ``p`` may see that match ``query`` and the filters, with highlighted snippets."""
    started = time.perf_counter()
    index.catch_up()  # rows behind (committed a moment ago, or before a crash) are written before we look
    f = f or Filters()
    limit = max(1, min(limit, MAX_LIMIT))
    terms = parse(query)
    cap = window() if terms else COUNT_CAP
    # ranking and count at once; with terms by the index row's id (1,001 UUIDs took 30 ms to make)
    if terms:  # the newest matches (the index row's id), then ranked among themselves
        qs = newest(p, terms, f, cap + 1)
        top: list[tuple[Any, int]] = list(backend().ranked(qs, terms, cap + 1))
    else:
        qs = qs_without_terms(p, f)
        top = list(qs.annotate(rank=Value(0)).order_by("-created_at", "-pk").values_list("pk", "rank")[:cap + 1])
    key = "search_doc__id" if terms else "pk"
    total = len(top)
    wanted = dict(top[:offset + limit + 1])
    order = {k: i for i, k in enumerate(wanted)}
    def key_of(r: Letter) -> Any:
        return r.search_doc.id if terms else r.pk

    rows = sorted(Letter.objects.filter(**{f"{key}__in": list(wanted)}).select_related("search_doc")
                  .prefetch_related("entries__book"), key=lambda r: order[key_of(r)])
    for r in rows:
        r.rank = wanted[key_of(r)]  # type: ignore[attr-defined]
    # only as many live matches as the page and the capped count can use
    live = classified.live_matches(p, terms, qs_without_terms(p, f), exclude={r.pk for r in rows},
                                   need=max(offset + limit, cap + 1 - total)) \
        if terms and p.clearance > 0 and live_could_count(top, terms, offset + limit, cap) else []
    total += len(live)
    hits = _page(rows, live, terms, offset, limit)
    return Results(query=query, terms=terms, hits=hits, total=min(total, cap), total_capped=total > cap,
                   facets=facets_of(qs) if facets else {}, took_ms=(time.perf_counter() - started) * 1000)


def live_could_count(top: list[tuple[Any, int]], terms: list[Term], shown: int, cap: int) -> bool:
    """Whether a live match could change what a search shows, given the index's ranked matches ``top`` (at
    most ``cap + 1``) and the ``shown`` first places of the page: not once the count is past its cap and each
    of those places holds a match that outranks any live one (:func:`classified.best_rank`), which then all
    sort after the page.  An exact shortcut: a cleared reader's query skips the 15–20 ms of opening and
    matching 5,000 classified rows."""
    return len(top) <= cap or len(top) < shown or top[shown - 1][1] <= classified.best_rank(terms)


def _page(rows: list[Letter], live: list[classified.LiveMatch], terms: list[Term], offset: int, limit: int
          ) -> list[Hit]:
    """The page of both sources in one order (:func:`classified.in_order`): snippets are cut, and a live match's letter
    loaded, only for the letters on it."""
    merged: list[tuple[int, dt.datetime, Any, Letter | classified.LiveMatch]] = classified.in_order(
        [(getattr(r, "rank", 0), r.created_at, r.pk, r) for r in rows] +
        [(m.rank, m.created_at, m.letter_id, m) for m in live], lambda e: e[:3])
    page = [e[3] for e in merged[offset:offset + limit]]
    opened = classified.letters([e for e in page if isinstance(e, classified.LiveMatch)])
    hits = [Hit(e, getattr(e, "rank", 0), _parts(e, terms)) if isinstance(e, Letter) else
            Hit(opened[e.letter_id], e.rank, snippet(e.text, terms)) for e in page
            if isinstance(e, Letter) or e.letter_id in opened]
    for h in hits:
        h.registration = _registration(h.letter)
    return hits


def _parts(letter: Letter, terms: list[Term]) -> list[tuple[str, bool]]:
    doc = getattr(letter, "search_doc", None)
    return snippet(doc.text if doc else letter.subject, terms)


def letter_ids(p: Principal, query: str, f: Filters | None = None) -> set[Any]:
    """Every letter ``p`` may see that matches (no ranking, no cap): what the backends must agree on."""
    index.catch_up()
    terms = parse(query)
    ids = set(candidates(p, terms, f or Filters()).values_list("pk", flat=True))
    base = _filtered(Letter.objects.filter(visible_letters_q(p)), f or Filters(), p)
    ids |= {m.letter_id for m in classified.live_matches(p, terms, base, exclude=ids, cap=None)}
    return ids
