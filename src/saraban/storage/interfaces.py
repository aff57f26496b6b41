"""The blob store interface: what :mod:`saraban.storage.blobs` needs from wherever content is kept.

A store keeps opaque, immutable objects under names.  It knows nothing of hashes, rows or keys: naming
(the SHA-256 of plain content, a keyed hash for encrypted content) and encryption are done by
:mod:`saraban.storage.blobs` above it, so every store stores the same bytes under the same names and a
backup is a copy of names.

Names are ``<64 hex>`` or ``enc/<64 hex>``; stores lay them out as ``ab/cd/<hex>`` and ``enc/ab/cd/<hex>``.

Implementations: :class:`saraban.storage.local.LocalBlobStore` (files under a directory, the embedded
default) and :class:`saraban.storage.s3.S3BlobStore` (any S3-compatible service).  Tests install their own
with :func:`saraban.storage.blobs.use`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

NAME = re.compile(r"^(enc/)?[0-9a-f]{64}$")


def check_name(name: str) -> str:
    if not NAME.match(name):
        raise ValueError(f"bad blob name {name!r}")
    return name


def layout(name: str) -> str:
    """``ab/cd/<hex>`` (or ``enc/ab/cd/<hex>``): the relative path or object key of a name."""
    check_name(name)
    prefix, _, digest = name.rpartition("/")
    return f"{prefix + '/' if prefix else ''}{digest[:2]}/{digest[2:4]}/{digest}"


def unlayout(path: str) -> str | None:
    """The name stored at a relative path (None if the path is not a blob's)."""
    parts = path.strip("/").split("/")
    if len(parts) == 3 and parts[2][:2] == parts[0] and parts[2][2:4] == parts[1] and NAME.match(parts[2]):
        return parts[2]
    if len(parts) == 4 and parts[0] == "enc" and unlayout("/".join(parts[1:])):
        return "enc/" + parts[3]
    return None


@dataclass(frozen=True)
class BlobInfo:
    size: int
    modified: float  # seconds since the epoch


class BlobStore(Protocol):
    def put(self, name: str, chunks: Iterable[bytes]) -> tuple[bool, object]:
        """Store the bytes ``chunks`` yields under ``name``, unless ``name`` is stored already (objects are
        immutable; the iterable is then not consumed).  Returns ``(created, token)``: ``created`` is False if it
        was there already (the call then *claims* it); ``token`` identifies this write for
        :meth:`discard_if_unclaimed`.  A full store raises :class:`~saraban.storage.errors.StorageFull`."""
        ...

    def open(self, name: str) -> Iterator[bytes]:
        """The stored bytes, in pieces (streamed, never all in memory); ``FileNotFoundError`` if not stored."""
        ...

    def info(self, name: str) -> BlobInfo:
        """Size and age; ``FileNotFoundError`` if not stored."""
        ...

    def exists(self, name: str) -> bool: ...

    def delete(self, name: str) -> None:
        """Remove it; nothing happens if it is not stored."""
        ...

    def copy(self, source: str, target: str) -> None:
        """Store the object ``source`` also under ``target`` (inside the store, without passing the bytes
        through the caller where the store can)."""
        ...

    def discard_if_unclaimed(self, name: str, token: object) -> None:
        """Undo the ``put`` that returned ``token`` and created the object, unless another ``put`` claimed it
        since (a store that cannot tell leaves it for ``saraban storage sweep``)."""
        ...

    def names(self) -> Iterator[str]:
        """Every stored name."""
        ...
