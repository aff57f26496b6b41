"""Keeping the index right: rows rewritten inside the changing action, a full rebuild, a health check.

:func:`on_changed` is connected to :data:`saraban.letters.changes.changed` and runs at the end of every
action that touched a letter, inside its transaction (the index commits or rolls back with the data).
:func:`reindex` rebuilds every row in batches; :func:`check` compares the index with the data.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from saraban.kernel import clock
from saraban.letters.models import Letter

from . import texts
from .backends import backend
from .document import Document, document, load
from .models import SearchDoc

BATCH = 500


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
    if new:
        SearchDoc.objects.bulk_create(new)
    for r in old:  # one UPDATE each: the SQLite triggers follow row by row anyway
        SearchDoc.objects.filter(pk=r.id).update(head=r.head, body=r.body, words=r.words, text=r.text,
                                                 classified=r.classified, sealed=r.sealed, digest=r.digest,
                                                 updated_at=now)


def refresh(letter_ids: Iterable[uuid.UUID]) -> int:
    """Rewrite the index rows of these letters from the data (reading new files' text first)."""
    ids = list(letter_ids)
    texts.read_new_files(ids)
    letters = load(ids)
    write([document(src) for src in letters])
    gone = set(ids) - {src.id for src in letters}
    if gone:
        SearchDoc.objects.filter(letter_id__in=gone).delete()
    return len(letters)


def on_changed(letter_ids: set[uuid.UUID], **_: Any) -> None:
    refresh(letter_ids)


def _batches(ids: list[uuid.UUID], size: int) -> Iterator[list[uuid.UUID]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def reindex(*, progress: Callable[[int, int], None] | None = None, batch: int = BATCH) -> int:
    """Rebuild every letter's row (each batch in its own transaction); rows of letters gone are dropped."""
    ids = list(Letter.objects.order_by("pk").values_list("pk", flat=True))
    done = 0
    for chunk in _batches(ids, batch):
        with transaction.atomic():
            refresh(chunk)
        done += len(chunk)
        if progress:
            progress(done, len(ids))
    SearchDoc.objects.exclude(letter_id__in=Letter.objects.values("pk")).delete()
    return done


@dataclass
class Health:
    letters: int = 0
    rows: int = 0
    missing: list[uuid.UUID] = field(default_factory=list)
    stale: list[uuid.UUID] = field(default_factory=list)
    orphans: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.orphans)


def check(*, progress: Callable[[int, int], None] | None = None, batch: int = BATCH) -> Health:
    """Compare the index with the data: every letter has a row, every row matches what the letter says now."""
    h = Health()
    ids = list(Letter.objects.order_by("pk").values_list("pk", flat=True))
    h.letters = len(ids)
    h.rows = SearchDoc.objects.count()
    h.orphans = SearchDoc.objects.exclude(letter_id__in=Letter.objects.values("pk")).count()
    done = 0
    for chunk in _batches(ids, batch):
        stored = dict(SearchDoc.objects.filter(letter_id__in=chunk).values_list("letter_id", "digest"))
        for src in load(chunk):
            if src.id not in stored:
                h.missing.append(src.id)
            elif stored[src.id] != document(src).digest:
                h.stale.append(src.id)
        done += len(chunk)
        if progress:
            progress(done, len(ids))
    return h


def rebuild_structures() -> None:
    backend().rebuild()
