"""Storing and reading blobs: the one place that pairs the store with the :class:`Blob` rows, names objects and
encrypts them.

- Plain content is named by its SHA-256.  Encrypted content (ลับ / ลับมาก always; everything when
  ``SARABAN_ENCRYPT_ALL=1``) is named ``enc/<HMAC-SHA256 of its hash>`` with a naming key outside the database,
  and stored as an AES-256-GCM envelope (:mod:`.crypto`) whose data key is wrapped by the current master key
  version (:mod:`.keys`).
- Every read checks the content against the SHA-256 in its row.  A mismatch (or a failed decryption, or a
  missing object) raises :class:`~.errors.BlobDamaged` and records a ``storage.blob_damaged`` event.
- Content streams both ways: :func:`stage_file` takes a seekable file, :func:`stream` yields pieces.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import BinaryIO

from django.conf import settings
from django.db import connection, transaction

from saraban.kernel import clock
from saraban.kernel.actions import in_action, on_rollback

from . import crypto, keys
from .errors import BlobDamaged, BlobDestroyed, BlobMissing, KeyUnavailable
from .interfaces import BlobStore
from .local import LocalBlobStore
from .models import Blob, Scheme

log = logging.getLogger(__name__)
PIECE = 1024 * 1024
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
        return LocalBlobStore(settings.SARABAN_BLOB_DIR)
    if settings.SARABAN_BLOB_STORE == "s3":
        from .s3 import S3BlobStore

        return S3BlobStore.from_settings()
    raise RuntimeError(f"unknown SARABAN_BLOB_STORE {settings.SARABAN_BLOB_STORE!r}")


def encrypts(classified: bool) -> bool:
    """Whether content is stored encrypted: classified content always, the rest if ``SARABAN_ENCRYPT_ALL``."""
    return classified or bool(getattr(settings, "SARABAN_ENCRYPT_ALL", False))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Staged:
    """Content already in the blob store, waiting for its row (written before the transaction)."""

    sha256: str
    size: int
    content_type: str
    encrypted: bool
    name: str = ""
    scheme: int = Scheme.PLAIN
    key_version: int | None = None
    wrapped_key: bytes | None = None

    @classmethod
    def of(cls, blob: Blob) -> Staged:
        """A stored blob, to hand over without writing it again."""
        return cls(sha256=blob.sha256, size=blob.size, content_type=blob.content_type, encrypted=blob.encrypted,
                   name=blob.name, scheme=blob.scheme, key_version=blob.key_version,
                   wrapped_key=bytes(blob.wrapped_key) if blob.wrapped_key is not None else None)


def _put(name: str, chunks: Iterable[bytes]) -> bool:
    created, token = store().put(name, chunks)
    if created:
        on_rollback(lambda: store().discard_if_unclaimed(name, token))
    return created


def _stage(digest: str, size: int, content: Callable[[], Iterable[bytes]], content_type: str,
           encrypted: bool) -> Staged:
    base = Staged(sha256=digest, size=size, content_type=content_type, encrypted=encrypts(encrypted))
    if not base.encrypted:
        _put(digest, content())
        return replace(base, name=digest)
    existing = Blob.objects.filter(sha256=digest, encrypted=True).first()
    if existing is not None:  # stored before: reuse it (and put it back if it went missing)
        if not store().exists(existing.name):
            _put(existing.name, _reencrypt(existing, content()))
        return Staged.of(existing)
    master = keys.master_keys()
    name = "enc/" + master.name_for(digest)
    version = keys.version_for_writing()
    data_key = secrets.token_bytes(32)
    header = crypto.Header.new(version, master.wrap(version, data_key))
    found = header
    if not _put(name, crypto.encrypt_stream(data_key, header, digest, content())):
        # a concurrent writer (or a failed one) stored it first: its header holds its data key
        theirs = _usable_header(name)
        if theirs is not None:
            found = theirs
        else:  # unusable (a key version no longer here): replace it
            store().delete(name)
            _put(name, crypto.encrypt_stream(data_key, header, digest, content()))
    return replace(base, name=name, scheme=Scheme.ENVELOPE, key_version=found.key_version,
                   wrapped_key=found.wrapped_key)


def _usable_header(name: str) -> crypto.Header | None:
    pieces = store().open(name)
    head = bytearray()
    for piece in pieces:
        head += piece
        if len(head) >= crypto.MAX_HEADER:
            break
    getattr(pieces, "close", lambda: None)()
    try:
        header = crypto.Header.parse(bytes(head))
        keys.master_keys().unwrap(header.key_version, header.wrapped_key)
    except (crypto.DecryptError, ValueError, KeyUnavailable):
        return None
    return header


def _reencrypt(blob: Blob, plain: Iterable[bytes]) -> Iterator[bytes]:
    """The stored form of ``blob``'s content again, with the data key its row holds."""
    data_key = data_key_of(blob)
    if blob.scheme == Scheme.LEGACY:
        yield crypto.legacy_encrypt(data_key, blob.sha256, b"".join(plain))
        return
    header = crypto.Header.new(int(blob.key_version or 0), bytes(blob.wrapped_key or b""))
    yield from crypto.encrypt_stream(data_key, header, blob.sha256, plain)


def stage(data: bytes, content_type: str, *, encrypted: bool = False) -> Staged:
    """Write content to the store; inside an undo scope a failure later removes it again (if we created it)."""
    return _stage(sha256_hex(data), len(data), lambda: [data], content_type, encrypted)


def stage_file(fh: BinaryIO, content_type: str, *, encrypted: bool = False) -> Staged:
    """:func:`stage` for a seekable file of any size, read twice in pieces (to hash it, then to store it)."""
    digest, size = hashlib.sha256(), 0
    fh.seek(0)
    while piece := fh.read(PIECE):
        digest.update(piece)
        size += len(piece)

    def content() -> Iterator[bytes]:
        fh.seek(0)
        while piece := fh.read(PIECE):
            yield piece

    return _stage(digest.hexdigest(), size, content, content_type, encrypted)


def record(staged: Staged) -> Blob:
    """The row for staged content (one round trip whether it is new or not; an existing row wins)."""
    if not staged.name:
        raise ValueError("record() needs staged content (blobs.stage or Staged.of)")
    now = clock.now()
    table = connection.ops.quote_name(Blob._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} (sha256, encrypted, size, content_type, created_at, name, scheme, key_version, "
            "wrapped_key, damage) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, '') "
            "ON CONFLICT (sha256, encrypted) DO UPDATE SET size = EXCLUDED.size "
            "RETURNING id, content_type, name, scheme, key_version, wrapped_key, damage",
            [staged.sha256, staged.encrypted, staged.size, staged.content_type,
             now if connection.vendor == "postgresql" else now.isoformat(), staged.name, int(staged.scheme),
             staged.key_version, staged.wrapped_key],
        )
        blob_id, ctype, name, scheme, version, wrapped, damage = cur.fetchone()
    blob = Blob(id=blob_id, sha256=staged.sha256, encrypted=staged.encrypted, size=staged.size, content_type=ctype,
                created_at=now, name=name, scheme=scheme, key_version=version,
                wrapped_key=bytes(wrapped) if wrapped is not None else None, damage=damage)
    blob._state.adding = False
    blob._state.db = "default"
    return blob


def put(data: bytes, content_type: str, *, encrypted: bool = False) -> Blob:
    """Store content and its row.  Call inside an action: if it rolls back, a file it created goes too."""
    return record(stage(data, content_type, encrypted=encrypted))


def data_key_of(blob: Blob) -> bytes:
    """The data key of an encrypted blob (unwrapped with its master key version; the old scheme's derived key)."""
    if blob.scheme == Scheme.LEGACY and not blob.key_version:
        legacy = crypto.load_legacy_key(settings.SARABAN_KEY_DIR)
        if legacy is None:
            raise KeyUnavailable(details={"key_version": 0})
        return crypto.legacy_data_key(legacy, blob.sha256)
    return keys.master_keys().unwrap(int(blob.key_version or 0), bytes(blob.wrapped_key or b""))


def decrypted(blob: Blob, stored: Iterator[bytes]) -> Iterator[bytes]:
    if blob.scheme == Scheme.PLAIN:
        return stored
    if blob.scheme == Scheme.LEGACY:
        return iter([crypto.legacy_decrypt(data_key_of(blob), blob.sha256, b"".join(stored))])
    return crypto.decrypt_stream(stored, blob.sha256, lambda _header: data_key_of(blob))


DESTROYED = "destroyed"  # damage of a blob destroyed on purpose (saraban.records.shred): its content is gone


def _open(blob: Blob) -> tuple[Blob, Iterator[bytes]]:
    if blob.damage == DESTROYED:
        raise BlobDestroyed(details={"blob": blob.pk})
    try:
        return blob, store().open(blob.name)
    except FileNotFoundError:
        fresh = Blob.objects.filter(pk=blob.pk).first()  # moved by `saraban keys rewrap` since it was loaded?
        if fresh is not None and fresh.name != blob.name:
            return _open(fresh)
        _damaged(blob, "missing")
        raise BlobMissing(details={"blob": blob.pk}) from None


def stream(blob: Blob) -> Iterator[bytes]:
    """The plain content in pieces, checked against the row's SHA-256 and size as it goes: the last piece is
    only given once the whole content has been checked (:class:`BlobDamaged` otherwise)."""
    blob, stored = _open(blob)
    return _checked(blob, decrypted(blob, stored))


def _checked(blob: Blob, pieces: Iterator[bytes]) -> Iterator[bytes]:
    digest, size = hashlib.sha256(), 0
    held: bytes | None = None
    try:
        for piece in pieces:
            digest.update(piece)
            size += len(piece)
            if held is not None:
                yield held
            held = piece
    except (crypto.DecryptError, ValueError) as exc:
        _damaged(blob, "corrupt")
        raise BlobDamaged(details={"blob": blob.pk}) from exc
    if digest.hexdigest() != blob.sha256 or size != blob.size:
        _damaged(blob, "corrupt")
        raise BlobDamaged(details={"blob": blob.pk})
    if held is not None:
        yield held


def read(blob: Blob) -> bytes:
    """The plain content, checked (:class:`BlobDamaged` if it is not what was stored)."""
    return b"".join(stream(blob))


def _damaged(blob: Blob, kind: str) -> None:
    """Record damage found while reading: at once, or — inside an action, whose transaction the error will
    roll back — once that transaction has ended."""
    from .actions.damage import mark_damaged

    log.error("blob %s (%s) is %s", blob.pk, blob.name, kind)
    if not in_action():
        mark_damaged(blob.pk, kind, via="read")
        return
    on_rollback(lambda: mark_damaged(blob.pk, kind, via="read"))
    transaction.on_commit(lambda: mark_damaged(blob.pk, kind, via="read"))


def drop_if_unreferenced(blob: Blob) -> bool:
    """Delete ``blob``'s row if no row of any table points at it any more, and its object once the transaction
    commits (a re-graded letter's plaintext copy, say).  Returns whether it went; call it inside an action."""
    for rel in Blob._meta.related_objects:
        if rel.related_model._default_manager.filter(**{rel.field.name: blob}).exists():
            return False
    name = blob.name
    Blob.objects.filter(pk=blob.pk).delete()
    transaction.on_commit(lambda: store().delete(name))
    return True
