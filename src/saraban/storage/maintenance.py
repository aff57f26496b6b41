"""Looking after the blob store: verify every blob, sweep orphans, move data keys to the current master key.

Each run records what it did with one action (``storage.verify``, ``storage.sweep``, ``storage.rewrap`` per
batch).  ``progress`` callbacks receive ``(done, total)`` for the CLI to show.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.db.models import Q

from . import blobs, crypto, keys
from .actions.checks import Verification, record_sweep, record_verification
from .actions.keys import rewrap
from .models import Blob, Scheme

Progress = Callable[[int, int], None]
SWEEP_GRACE = 6 * 3600.0  # seconds an unreferenced object is left alone (a transaction may still claim it)


def check(blob: Blob) -> str:
    """``ok``, ``corrupt`` or ``missing``: the blob's content read back, decrypted and hashed."""
    try:
        stored = blobs.store().open(blob.name)
    except FileNotFoundError:
        return "missing"
    digest, size = hashlib.sha256(), 0
    try:
        for piece in blobs.decrypted(blob, stored):
            digest.update(piece)
            size += len(piece)
    except (crypto.DecryptError, ValueError):
        return "corrupt"
    return "ok" if digest.hexdigest() == blob.sha256 and size == blob.size else "corrupt"


def verify_all(actor: Any = None, *, progress: Progress | None = None, orphans: bool = True) -> Verification:
    """Check every blob and record what was found (``storage.verify``)."""
    found = Verification()
    total = Blob.objects.exclude(damage=blobs.DESTROYED).count()
    last = 0
    while True:
        batch = list(Blob.objects.filter(pk__gt=last).exclude(damage=blobs.DESTROYED).order_by("pk")[:500])
        if not batch:
            break
        for blob in batch:
            state = check(blob)
            found.checked += 1
            if state == "ok":
                found.bytes += blob.size
                if blob.damage:
                    found.healed.append(blob.pk)
            else:
                found.damaged[blob.pk] = state
            if progress:
                progress(found.checked, total)
        last = batch[-1].pk
    if orphans:
        found.orphans = len(unreferenced())
    return record_verification(actor, found)


def unreferenced() -> list[str]:
    """Names in the store that no row names."""
    known = set(Blob.objects.values_list("name", flat=True))
    return [name for name in blobs.store().names() if name not in known]


def sweep(actor: Any = None, *, grace: float = SWEEP_GRACE) -> tuple[list[str], int]:
    """Remove objects no row names that are older than ``grace`` seconds, and stale temporary files."""
    store = blobs.store()
    limit = time.time() - grace
    removed = []
    for name in unreferenced():
        try:
            if store.info(name).modified >= limit:
                continue
        except FileNotFoundError:
            continue
        if Blob.objects.filter(name=name).exists():  # claimed and committed meanwhile
            continue
        store.delete(name)
        removed.append(name)
    clean = getattr(store, "clean_temporary", None)
    temporary = int(clean(min(grace, 3600.0))) if clean else 0
    if removed or temporary:
        record_sweep(actor, orphans=removed, temporary=temporary)
    return removed, temporary


def stale_keys(version: int) -> Q:
    """Encrypted blobs whose data key is not wrapped by master key ``version``."""
    return Q(encrypted=True) & (Q(key_version__isnull=True) | ~Q(key_version=version))


def rewrap_all(actor: Any = None, *, batch: int = 200, progress: Progress | None = None) -> int:
    """Move every data key to the current master key version, ``batch`` blobs per action.  Readers go on
    reading throughout: a blob's row changes in one statement, and its old key version stays usable."""
    target = keys.version_for_writing()  # an installation upgraded from the old scheme has no version 1 yet
    keys.master_keys().wrap(target, b"\0" * 32)  # fail before anything if the key is not here
    total = Blob.objects.filter(stale_keys(target)).count()
    done = 0
    while True:
        rows = list(Blob.objects.filter(stale_keys(target)).order_by("pk")[:batch])
        if not rows:
            return done
        done += rewrap(actor, rows, target)
        if progress:
            progress(done, total)


def key_status() -> dict[str, Any]:
    """Current version, the versions the key source holds, and how many blobs each version wraps."""
    from django.db.models import Count

    counts = {str(row["key_version"]): row["n"] for row in
              Blob.objects.filter(encrypted=True).values("key_version").annotate(n=Count("id"))}
    master = keys.master_keys()
    legacy = Blob.objects.filter(scheme=Scheme.LEGACY, key_version=0).count()
    return {"current": keys.current_version(), "kms": master.kind, "available": master.versions(),
            "blobs_by_version": counts, "legacy_unwrapped": legacy}
