"""Deleting a destroyed letter's content and every copy of it (R42, Appendix 6).

What goes: every file of the letter (original, enclosures, derived copies such as the stamped and signed
ones, the text read out of them) in the blob store, in every backup target a recorded backup wrote to
(oldest first), and the letter's rows in the search index.  An encrypted file's data key is wiped from its
row at once (crypto-shredding: the ciphertext left anywhere can no longer be opened with this system's
keys); the objects are deleted once the transaction has committed, so a failed destruction leaves the
content where it was.  The :class:`~saraban.storage.models.Blob` row stays as a tombstone (hash, size,
``damage = "destroyed"``) because other rows point at it.

A file whose bytes another, live letter also holds is kept: only this letter's hold on it ends.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction

from saraban.kernel import clock
from saraban.kernel.ids import uuid7
from saraban.letters.models import Letter, LetterFile
from saraban.search.models import FileText, SearchDoc
from saraban.storage import blobs
from saraban.storage.models import Backup, BackupStatus, Blob

from .models import Filing, FilingState

log = logging.getLogger(__name__)
DESTROYED = "destroyed"


@dataclass
class Shredded:
    blob_ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    kept_shared: int = 0
    search_rows: int = 0
    targets: list[str] = field(default_factory=list)


def backup_targets() -> list[str]:
    """Every place a backup was written to, oldest first."""
    seen: dict[str, None] = {}
    for url in Backup.objects.filter(status=BackupStatus.DONE).order_by("started_at").values_list("target", flat=True):
        seen.setdefault(url, None)
    return list(seen)


def _letter_blob_ids(letter_ids: list) -> set[int]:
    files = LetterFile.objects.filter(letter_id__in=letter_ids)
    ids = set(files.values_list("blob_id", flat=True))
    ids |= set(FileText.objects.filter(file__in=files, blob__isnull=False).values_list("blob_id", flat=True))
    return ids


def _shared(ids: set[int], letter_ids: list) -> set[int]:
    """Blobs of these letters that a letter not being destroyed also holds."""
    alive = Letter.objects.exclude(pk__in=letter_ids).exclude(
        pk__in=Filing.objects.filter(state=FilingState.DESTROYED).values("letter_id"))
    return set(LetterFile.objects.filter(blob_id__in=ids, letter__in=alive).values_list("blob_id", flat=True))


def shred(letter_ids: list) -> Shredded:
    """Destroy the content of these letters (call inside the destroying action)."""
    out = Shredded()
    ids = _letter_blob_ids(letter_ids)
    shared = _shared(ids, letter_ids)
    out.kept_shared = len(shared)
    doomed = list(Blob.objects.filter(pk__in=ids - shared).exclude(damage=DESTROYED).order_by("pk"))
    out.blob_ids = [b.pk for b in doomed]
    out.names = [b.name for b in doomed]
    Blob.objects.filter(pk__in=out.blob_ids).update(wrapped_key=None, damage=DESTROYED, damaged_at=clock.now())
    files = LetterFile.objects.filter(letter_id__in=letter_ids)
    out.search_rows = FileText.objects.filter(file__in=files).delete()[0]
    out.search_rows += SearchDoc.objects.filter(letter_id__in=letter_ids).delete()[0]
    out.targets = backup_targets()
    names, targets = list(out.names), list(out.targets)
    transaction.on_commit(lambda: delete_objects(names, targets))
    return out


def delete_objects(names: list[str], targets: list[str]) -> list[str]:
    """Delete the objects from the blob store and from each backup target; the targets that failed."""
    from saraban.storage.backup.targets import open_target, record_destroyed

    store = blobs.store()
    for name in names:
        store.delete(name)
    failed = []
    for url in targets:
        try:
            target = open_target(url)
            for name in names:
                target.blobs.delete(name)
            record_destroyed(target, names, str(uuid7()))
        except Exception:  # an unreachable backup: logged; the objects there stay until it is reachable again
            log.exception("could not delete destroyed files from backup %s", url)
            failed.append(url)
    return failed


def still_present(names: list[str]) -> dict[str, list[str]]:
    """Where any of these objects can still be found: the blob store and each backup target."""
    from saraban.storage.backup.targets import open_target

    found: dict[str, list[str]] = {}
    store = blobs.store()
    hits = [n for n in names if store.exists(n)]
    if hits:
        found["store"] = hits
    for url in backup_targets():
        target = open_target(url)
        hits = [n for n in names if target.blobs.exists(n)]
        if hits:
            found[url] = hits
    return found
