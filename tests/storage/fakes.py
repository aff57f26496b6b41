"""An in-memory :class:`~saraban.storage.interfaces.BlobStore` for tests: install it with ``blobs.use(store)``."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Iterator

from saraban.storage.interfaces import BlobInfo, check_name


class MemoryBlobStore:
    """Keeps objects in a dict (name -> bytes, last write, time written)."""

    def __init__(self) -> None:
        self._objects: dict[str, tuple[bytes, int, float]] = {}
        self._writes = itertools.count(1)

    def put(self, name: str, chunks: Iterable[bytes]) -> tuple[bool, object]:
        token = next(self._writes)
        if check_name(name) in self._objects:
            data, _, at = self._objects[name]
            self._objects[name] = (data, token, at)  # a repeat claims the object
            return False, token
        self._objects[name] = (b"".join(chunks), token, time.time())
        return True, token

    def open(self, name: str) -> Iterator[bytes]:
        try:
            data = self._objects[name][0]
        except KeyError:
            raise FileNotFoundError(name) from None
        return iter([data[i:i + 65536] for i in range(0, len(data), 65536)] or [b""])

    def info(self, name: str) -> BlobInfo:
        try:
            data, _, at = self._objects[name]
        except KeyError:
            raise FileNotFoundError(name) from None
        return BlobInfo(size=len(data), modified=at)

    def exists(self, name: str) -> bool:
        return name in self._objects

    def delete(self, name: str) -> None:
        self._objects.pop(name, None)

    def copy(self, source: str, target: str) -> None:
        self._objects.setdefault(target, (self._objects[source][0], next(self._writes), time.time()))

    def discard_if_unclaimed(self, name: str, token: object) -> None:
        hit = self._objects.get(name)
        if hit is not None and hit[1] == token:
            del self._objects[name]

    def names(self) -> Iterator[str]:
        return iter(list(self._objects))

    def raw(self, name: str) -> bytes:
        """The stored bytes (for tests that look at what is at rest)."""
        return self._objects[name][0]

    def tamper(self, name: str, data: bytes) -> None:
        entry = self._objects[name]
        self._objects[name] = (data, entry[1], entry[2])
