from __future__ import annotations

from typing import Protocol


class BlobStore(Protocol):
    """Content-addressed storage.  ``put`` is idempotent; keys are SHA-256 hex of the plain content."""

    def put(self, sha256: str, data: bytes, *, encrypted: bool) -> bool:
        """Store ``data``; return True if this call created it (False if it was already there)."""
        ...

    def get(self, sha256: str, *, encrypted: bool) -> bytes: ...

    def exists(self, sha256: str, *, encrypted: bool) -> bool: ...

    def delete(self, sha256: str, *, encrypted: bool) -> None: ...

    def discard_if_unclaimed(self, sha256: str, *, encrypted: bool, token: object) -> None:
        """Undo a ``put`` that created the blob, unless someone else has claimed it since."""
        ...

    def keys(self) -> list[tuple[str, bool]]: ...
