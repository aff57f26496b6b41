"""Damage found while reading a blob (called by :mod:`saraban.storage.blobs`)."""

from __future__ import annotations

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action

from ..models import Blob


@action("storage.blob_damaged")
def mark_damaged(blob_id: int, kind: str, *, via: str) -> None:
    """A blob was found damaged (``corrupt``: its bytes do not match its hash; ``missing``)."""
    now = clock.now()
    Blob.objects.filter(pk=blob_id).update(damage=kind, damaged_at=now)
    audit.record("storage.blob_damaged", object_type="storage.blob", object_id=str(blob_id),
                 data={"kind": kind, "via": via})
