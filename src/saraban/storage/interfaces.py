"""The blob store interface: what :mod:`saraban.storage.blobs` needs from wherever content is kept.

Implementations: :class:`saraban.storage.local.LocalBlobStore` (files under a directory, the embedded
default).  Tests install their own with :func:`saraban.storage.blobs.use`.
"""

from __future__ import annotations

from typing import Protocol


class BlobStore(Protocol):
    """Content-addressed storage.  Keys are the SHA-256 hex of the plain content; a key is stored at most once
    per ``encrypted`` flag (the encrypted and the plain copy of the same content are two blobs)."""

    def put(self, sha256: str, data: bytes, *, encrypted: bool) -> tuple[bool, object]:
        """Store ``data`` (idempotent).  Returns ``(created, token)``: ``created`` is True if this call stored
        it, False if it was there already (the call then *claims* it); ``token`` identifies this write for
        :meth:`discard_if_unclaimed`."""
        ...

    def get(self, sha256: str, *, encrypted: bool) -> bytes:
        """The plain content (decrypted if ``encrypted``); ``FileNotFoundError`` if it is not stored."""
        ...

    def exists(self, sha256: str, *, encrypted: bool) -> bool: ...

    def delete(self, sha256: str, *, encrypted: bool) -> None:
        """Remove it; nothing happens if it is not stored."""
        ...

    def discard_if_unclaimed(self, sha256: str, *, encrypted: bool, token: object) -> None:
        """Undo the ``put`` that returned ``token`` and created the blob, unless another ``put`` claimed it since."""
        ...

    def keys(self) -> list[tuple[str, bool]]:
        """Every stored ``(sha256, encrypted)``."""
        ...
