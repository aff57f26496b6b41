"""Keeping the index right: rows marked behind as data changes, written in batches, a rebuild, a health check.

:func:`on_changed` is connected to :data:`saraban.letters.changes.changed` and runs at the end of every action
that touched a letter, inside its transaction.  There it only bumps each letter's
:class:`~saraban.search.models.IndexMark` (one upsert, which commits or rolls back with the data) and pokes the
index channel.  Reading a PDF's text and cutting Thai words into tokens happen after the commit, in
:func:`catch_up`: the task worker's follower runs it when poked (:mod:`saraban.kernel.followers`), writing every
row behind in batches.  Done inside the action, that work held the register book's number lock and made
registering three times slower.

No search sees a row that is behind: every query runs :func:`catch_up` first, so what was committed before the
query is found by it, even if the worker is down or a crash came between the commit and the write.  Two
refreshes of the same letter cannot leave the older text: a row is written only by the refresh that moves
``done`` up to the ``wanted`` it read *before* loading the data.  A letter made secret is refreshed inside its
action (``at_once``): its plaintext leaves the index with the commit.  :func:`reindex` rebuilds every row in
batches; :func:`check` compares the index with the data.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, QuerySet

from saraban.kernel import clock, wakeup
from saraban.kernel.actions import in_action
from saraban.letters.models import Letter

from . import texts
from .backends import backend
from .document import Document, document, load
from .models import IndexMark, SearchDoc

BATCH = 500
log = logging.getLogger(__name__)


def write(docs: list[Document]) -> None:
    """Insert or replace the rows of these documents."""
    if not docs:
        return
    now = clock.now()
    existing = {letter_id: (pk, digest) for letter_id, pk, digest in SearchDoc.objects.filter(
        letter_id__in=[d.letter_id for d in docs]).values_list("letter_id", "id", "digest")}
    # a row that already says what the letter says is left alone (a rebuild rewrites only what changed:
    # on SQLite each rewritten row is taken out of and put back into both FTS tables)
    rows = [SearchDoc(id=existing[d.letter_id][0] if d.letter_id in existing else None, letter_id=d.letter_id,
                      head=d.head, body=d.body, words=d.words, text=d.text, classified=d.classified,
                      sealed=d.sealed_bytes(), digest=digest, updated_at=now)
            for d in docs if (digest := d.digest) != existing.get(d.letter_id, (None, None))[1]]
    new = [r for r in rows if r.id is None]
    old = [r for r in rows if r.id is not None]
    if new:  # in the letters' order (UUIDv7: as they were made): a query's window takes the newest rows
        new.sort(key=lambda r: r.letter_id)
        if connection.vendor == "postgresql":
            _copy_in(new)
        else:
            SearchDoc.objects.bulk_create(new)
    for r in old:  # one UPDATE each: the SQLite triggers follow row by row anyway
        SearchDoc.objects.filter(pk=r.id).update(head=r.head, body=r.body, words=r.words, text=r.text,
                                                 classified=r.classified, sealed=r.sealed, digest=r.digest,
                                                 updated_at=now)


def _copy_in(rows: list[SearchDoc]) -> None:
    """New rows by ``COPY`` (PostgreSQL): a rebuild's 2,000-row ``INSERT`` spent 12 % of its time in the
    client, parsing 20,000 placeholders, and more in the server planning it."""
    fields = [f for f in SearchDoc._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.attname if f.column is None else f.column) for f in fields)
    with connection.cursor() as cur, cur.cursor.copy(
            f"COPY {connection.ops.quote_name(SearchDoc._meta.db_table)} ({columns}) FROM STDIN") as copy:
        for r in rows:
            copy.write_row([getattr(r, f.attname) for f in fields])


def mark(letter_ids: Iterable[uuid.UUID]) -> None:
    """Say, inside the changing transaction, that these letters' rows are behind (one upsert each)."""
    table = connection.ops.quote_name(IndexMark._meta.db_table)
    key = IndexMark._meta.get_field("letter")
    sql = (f"INSERT INTO {table} (letter_id, wanted, done) VALUES (%s, 1, 0) "
           f"ON CONFLICT (letter_id) DO UPDATE SET wanted = {table}.wanted + 1")
    with connection.cursor() as cur:
        cur.executemany(sql, [[key.get_db_prep_value(i, connection)] for i in sorted(letter_ids)])


def _claim(wanted: dict[uuid.UUID, int]) -> set[uuid.UUID]:
    """The letters whose row this refresh may write: it moves ``done`` up to what it read as ``wanted``.  A
    refresh that read an older count (and so may have loaded older data) finds ``done`` already there."""
    mine = set()
    for letter_id, count in wanted.items():
        if IndexMark.objects.filter(letter_id=letter_id, done__lt=count).update(done=count):
            mine.add(letter_id)
    return mine


@dataclass
class Prepared:
    """The rows of a refresh, made outside any lock: the marks as read before the data, then the documents."""

    wanted: dict[uuid.UUID, int]
    docs: list[Document]
    gone: set[uuid.UUID]


def prepare(letter_ids: Iterable[uuid.UUID]) -> Prepared:
    """Read the marks, then new files' text and the letters' data, and make their documents."""
    ids = list(letter_ids)
    wanted = dict(IndexMark.objects.filter(letter_id__in=ids).values_list("letter_id", "wanted"))
    texts.read_new_files(ids)
    letters = load(ids)
    return Prepared(wanted, [document(src) for src in letters], set(ids) - {src.id for src in letters})


def save(p: Prepared, *, force: bool = False) -> int:
    """Write the prepared rows (one short transaction); returns how many this refresh wrote (or kept)."""
    with transaction.atomic():
        mine = _claim(p.wanted)
        docs = [d for d in p.docs if force or d.letter_id in mine or d.letter_id not in p.wanted]
        write(docs)
        if p.gone:
            SearchDoc.objects.filter(letter_id__in=p.gone).delete()
    return len(docs)


def refresh(letter_ids: Iterable[uuid.UUID], *, force: bool = False) -> int:
    """Rewrite the index rows of these letters from the data (reading new files' text first).

    The marks are read before the data, the documents made outside any lock, and only the writing is one
    short transaction.  ``force`` writes every row (a rebuild); otherwise a letter whose mark another refresh
    already settled is left to it.  Returns the number of letters looked at."""
    p = prepare(letter_ids)
    save(p, force=force)
    return len(p.docs)


def behind(limit: int | None = None) -> list[uuid.UUID]:
    """Letters whose row is still to write, oldest first (the partial index ``search_mark_behind`` finds them)."""
    qs = IndexMark.objects.filter(wanted__gt=F("done")).order_by("letter_id").values_list("letter_id", flat=True)
    return list(qs if limit is None else qs[:limit])


CATCH_UP_BATCH = 100  # rows per write transaction: on SQLite the write lock is held this long, not longer


def catch_up(*, batch: int = CATCH_UP_BATCH) -> int:
    """Write every row marked behind, in batches; returns how many letters it looked at.  Safe to run in
    several processes at once (each row is written by the one that claims its mark).  A letter whose row
    cannot be made is logged and left marked (``saraban search check`` counts it as behind); the others are
    written."""
    done = 0
    failed: set[uuid.UUID] = set()
    while ids := [i for i in behind(batch + len(failed)) if i not in failed][:batch]:
        try:
            refresh(ids)
        except IntegrityError:  # two catching up at once both inserting the same new row: the other wrote it
            pass
        except Exception:
            failed |= _one_by_one(ids)
        done += len(ids)
        if len(ids) < batch:
            break
    return done


def _one_by_one(ids: list[uuid.UUID]) -> set[uuid.UUID]:
    failed = set()
    for letter_id in ids:
        try:
            refresh([letter_id])
        except Exception:
            log.exception("the search row of letter %s could not be written", letter_id)
            failed.add(letter_id)
    return failed


def on_changed(letter_ids: set[uuid.UUID], at_once: set[uuid.UUID] | None = None, **_: Any) -> None:
    mark(letter_ids)
    if not in_action():  # a script writing outside an action: no follower to wait for
        refresh(letter_ids)
        return
    if at_once:
        refresh(at_once)
    if set(letter_ids) - set(at_once or ()):
        wakeup.poke_on_commit(wakeup.INDEX)


def _batches(ids: list[uuid.UUID], size: int) -> Iterator[list[uuid.UUID]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def reindex(*, progress: Callable[[int, int], None] | None = None, batch: int = BATCH) -> int:
    """Rebuild every letter's row (each batch in its own transaction); rows of letters gone are dropped."""
    ids = list(Letter.objects.order_by("pk").values_list("pk", flat=True))
    done = 0
    for chunk in _batches(ids, batch):
        with transaction.atomic():
            refresh(chunk, force=True)
        done += len(chunk)
        if progress:
            progress(done, len(ids))
    _orphans().delete()
    return done


def _orphans() -> QuerySet[SearchDoc]:
    """Rows whose letter is gone, by an anti-join: a ``NOT IN (SELECT …)`` over 1,000,000 letters is more than
    PostgreSQL hashes in its working memory, and it then compared every row with every letter (cancelled
    after 13 minutes; this takes seconds)."""
    return SearchDoc.objects.filter(~Exists(Letter.objects.filter(pk=OuterRef("letter_id"))))


@dataclass
class Health:
    letters: int = 0
    rows: int = 0
    missing: list[uuid.UUID] = field(default_factory=list)
    stale: list[uuid.UUID] = field(default_factory=list)
    orphans: int = 0
    behind: int = 0  # marked behind: written by the next refresh or catch-up (not a fault)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.orphans)


def check(*, progress: Callable[[int, int], None] | None = None, batch: int = BATCH) -> Health:
    """Compare the index with the data: every letter has a row, every row matches what the letter says now."""
    h = Health()
    ids = list(Letter.objects.order_by("pk").values_list("pk", flat=True))
    h.letters = len(ids)
    h.rows = SearchDoc.objects.count()
    h.orphans = _orphans().count()
    pending = set(IndexMark.objects.filter(wanted__gt=F("done")).values_list("letter_id", flat=True))
    h.behind = len(pending)
    done = 0
    for chunk in _batches(ids, batch):
        stored = dict(SearchDoc.objects.filter(letter_id__in=chunk).values_list("letter_id", "digest"))
        for src in load(chunk):
            if src.id in pending:
                continue
            if src.id not in stored:
                h.missing.append(src.id)
            elif stored[src.id] != document(src).digest:
                h.stale.append(src.id)
        done += len(chunk)
        if progress:
            progress(done, len(ids))
    return h


def rebuild_structures() -> None:
    """The backend's index structures built anew from the rows (``saraban search reindex --rebuild-index``): a
    trigram GIN grown row by row through a full reindex of 1,000,000 letters was 27 % larger than one built at
    once, and its queries' p95 163–186 ms against 133–154 (docs/benchmarks.md)."""
    backend().rebuild()
