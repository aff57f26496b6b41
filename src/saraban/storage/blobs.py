"""Storing and reading blobs: the one place that pairs the store with the :class:`Blob` rows."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import connection

from saraban.kernel import clock
from saraban.kernel.actions import on_rollback

from .interfaces import BlobStore
from .local import LocalBlobStore
from .models import Blob

_installed: BlobStore | None = None


def use(blob_store: BlobStore | None) -> None:
    """Install (or, with ``None``, remove) the blob store every caller gets — e.g. an in-memory fake in tests."""
    global _installed
    _installed = blob_store


def store() -> BlobStore:
    """The blob store in use: the installed one, else the one ``SARABAN_BLOB_STORE`` names (made once)."""
    return _installed if _installed is not None else _configured()


@cache
def _configured() -> BlobStore:
    if settings.SARABAN_BLOB_STORE == "local":
        return LocalBlobStore(settings.SARABAN_BLOB_DIR, settings.SARABAN_KEY_DIR)
    raise RuntimeError(f"unknown SARABAN_BLOB_STORE {settings.SARABAN_BLOB_STORE!r}")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Staged:
    """Content already in the blob store, waiting for its row (written before the transaction)."""

    sha256: str
    size: int
    content_type: str
    encrypted: bool


def stage(data: bytes, content_type: str, *, encrypted: bool = False) -> Staged:
    """Write content to the store; inside an undo scope a failure later removes it again (if we created it)."""
    digest = sha256_hex(data)
    created, token = store().put(digest, data, encrypted=encrypted)
    if created:
        on_rollback(lambda: store().discard_if_unclaimed(digest, encrypted=encrypted, token=token))
    return Staged(sha256=digest, size=len(data), content_type=content_type, encrypted=encrypted)


def record(staged: Staged) -> Blob:
    """The row for staged content (one round trip whether it is new or not)."""
    now = clock.now()
    table = connection.ops.quote_name(Blob._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} (sha256, encrypted, size, content_type, created_at) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (sha256, encrypted) DO UPDATE SET size = EXCLUDED.size RETURNING id, content_type",
            [staged.sha256, staged.encrypted, staged.size, staged.content_type,
             now if connection.vendor == "postgresql" else now.isoformat()],
        )
        blob_id, ctype = cur.fetchone()
    blob = Blob(id=blob_id, sha256=staged.sha256, encrypted=staged.encrypted, size=staged.size,
                content_type=ctype, created_at=now)
    blob._state.adding = False
    blob._state.db = "default"
    return blob


def put(data: bytes, content_type: str, *, encrypted: bool = False) -> Blob:
    """Store content and its row.  Call inside an action: if it rolls back, a file it created goes too."""
    return record(stage(data, content_type, encrypted=encrypted))


def read(blob: Blob) -> bytes:
    data = store().get(blob.sha256, encrypted=blob.encrypted)
    if sha256_hex(data) != blob.sha256:
        raise RuntimeError(f"blob {blob.sha256} is corrupt")
    return data
