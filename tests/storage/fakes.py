"""An in-memory :class:`~saraban.storage.interfaces.BlobStore` for tests: install it with ``blobs.use(store)``."""

from __future__ import annotations

import itertools


class MemoryBlobStore:
    """Keeps blobs in a dict.  Encryption is not simulated: "encrypted" only keeps the two copies apart."""

    def __init__(self) -> None:
        self._blobs: dict[tuple[str, bool], tuple[bytes, int]] = {}  # (sha256, encrypted) -> (data, last write)
        self._writes = itertools.count(1)

    def put(self, sha256: str, data: bytes, *, encrypted: bool) -> tuple[bool, object]:
        key, token = (sha256, encrypted), next(self._writes)
        created = key not in self._blobs
        self._blobs[key] = (data if created else self._blobs[key][0], token)  # a repeat claims the blob
        return created, token

    def get(self, sha256: str, *, encrypted: bool) -> bytes:
        try:
            return self._blobs[(sha256, encrypted)][0]
        except KeyError:
            raise FileNotFoundError(sha256) from None

    def exists(self, sha256: str, *, encrypted: bool) -> bool:
        return (sha256, encrypted) in self._blobs

    def delete(self, sha256: str, *, encrypted: bool) -> None:
        self._blobs.pop((sha256, encrypted), None)

    def discard_if_unclaimed(self, sha256: str, *, encrypted: bool, token: object) -> None:
        hit = self._blobs.get((sha256, encrypted))
        if hit is not None and hit[1] == token:
            del self._blobs[(sha256, encrypted)]

    def keys(self) -> list[tuple[str, bool]]:
        return list(self._blobs)
