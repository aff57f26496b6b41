"""Storing and reading blobs: the one place that pairs the store with the :class:`Blob` rows."""

from __future__ import annotations

import hashlib
from functools import cache

from django.conf import settings

from saraban.kernel import clock
from saraban.kernel.actions import on_rollback

from .local import LocalBlobStore
from .models import Blob


@cache
def store() -> LocalBlobStore:
    if settings.SARABAN_BLOB_STORE == "local":
        return LocalBlobStore(settings.SARABAN_BLOB_DIR, settings.SARABAN_KEY_DIR)
    if settings.SARABAN_BLOB_STORE == "s3":  # pragma: no cover - wired by the S3 issue
        from .s3 import S3BlobStore

        return S3BlobStore.from_settings()  # type: ignore[return-value]
    raise RuntimeError(f"unknown SARABAN_BLOB_STORE {settings.SARABAN_BLOB_STORE!r}")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put(data: bytes, content_type: str, *, encrypted: bool = False) -> Blob:
    """Store content and its row.  Call inside an action: if it rolls back, a file it created goes too."""
    digest = sha256_hex(data)
    created, token = store().put(digest, data, encrypted=encrypted)
    if created:
        on_rollback(lambda: store().discard_if_unclaimed(digest, encrypted=encrypted, token=token))
    blob = Blob.objects.filter(sha256=digest, encrypted=encrypted).first()
    if blob is None:
        Blob.objects.bulk_create(
            [Blob(sha256=digest, size=len(data), content_type=content_type, encrypted=encrypted,
                  created_at=clock.now())],
            ignore_conflicts=True,
        )
        blob = Blob.objects.get(sha256=digest, encrypted=encrypted)
    return blob


def read(blob: Blob) -> bytes:
    data = store().get(blob.sha256, encrypted=blob.encrypted)
    if sha256_hex(data) != blob.sha256:
        raise RuntimeError(f"blob {blob.sha256} is corrupt")
    return data
