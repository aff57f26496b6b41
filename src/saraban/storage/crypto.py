"""Encryption at rest: envelope encryption, AES-256-GCM, in authenticated chunks so that files stream.

Each encrypted blob has its own random 256-bit *data key*.  The data key is wrapped (AES key wrap,
RFC 3394) by a *master key* version held outside the database (:mod:`saraban.storage.keys`); the wrapped
key and its version are kept in the blob's row, and also once in the blob's header so that an object
whose row is not yet committed can be read by a concurrent writer of the same content.

Stored form (``SCHEME_ENVELOPE``)::

    "SBE2" | key version (u32) | wrapped length (u16) | wrapped data key | nonce prefix (7) | chunk size (u32)
    chunk 0 | chunk 1 | … | last chunk       each chunk = AES-256-GCM(data key, prefix | index (u32) | last (u8))

Every chunk is authenticated with the header and the content's SHA-256 as associated data; the last flag
stops truncation and the index stops reordering (the STREAM construction).  A blob of n bytes therefore
streams in and out with one chunk in memory.

``SCHEME_LEGACY`` is the format before envelopes (``SBENC1`` + nonce + one GCM message, key derived by HKDF
from ``keys/master.key`` and the content hash).  Such blobs stay readable; ``saraban keys rewrap`` wraps
their derived key under the current master key without touching their ciphertext.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SCHEME_PLAIN = 0
SCHEME_LEGACY = 1
SCHEME_ENVELOPE = 2

MAGIC = b"SBE2"
LEGACY_MAGIC = b"SBENC1"
CHUNK = 1024 * 1024
TAG = 16
_FIXED = struct.Struct(">4sIH")  # magic, key version, wrapped length
_TAIL = struct.Struct(">7sI")  # nonce prefix, chunk size
MAX_HEADER = _FIXED.size + 512 + _TAIL.size


class DecryptError(ValueError):
    """The ciphertext, its header or the key do not fit together (tampered, truncated, wrong key)."""


@dataclass(frozen=True)
class Header:
    key_version: int
    wrapped_key: bytes
    prefix: bytes
    chunk: int
    raw: bytes

    @classmethod
    def new(cls, key_version: int, wrapped_key: bytes, chunk: int = CHUNK) -> Header:
        prefix = secrets.token_bytes(7)
        raw = _FIXED.pack(MAGIC, key_version, len(wrapped_key)) + wrapped_key + _TAIL.pack(prefix, chunk)
        return cls(key_version, wrapped_key, prefix, chunk, raw)

    @classmethod
    def parse(cls, data: bytes) -> Header:
        """The header at the start of ``data`` (which may hold more)."""
        if len(data) < _FIXED.size or not data.startswith(MAGIC):
            raise DecryptError("not an encrypted Saraban blob")
        _, version, wlen = _FIXED.unpack_from(data)
        end = _FIXED.size + wlen + _TAIL.size
        if wlen > 512 or len(data) < end:
            raise DecryptError("truncated header")
        wrapped = data[_FIXED.size: _FIXED.size + wlen]
        prefix, chunk = _TAIL.unpack_from(data, _FIXED.size + wlen)
        if not 16 <= chunk <= 64 * 1024 * 1024:
            raise DecryptError("bad chunk size")
        return cls(version, wrapped, prefix, chunk, data[:end])


def _aad(header: Header, sha256: str) -> bytes:
    return header.raw + b"|" + sha256.encode()


def _nonce(header: Header, index: int, last: bool) -> bytes:
    return header.prefix + struct.pack(">IB", index, 1 if last else 0)


def encrypted_size(size: int, header_len: int, chunk: int = CHUNK) -> int:
    chunks = max(1, -(-size // chunk))
    return header_len + size + chunks * TAG


def rechunk(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    """The same bytes in pieces of exactly ``size`` (the last may be shorter; at least one piece)."""
    buf = bytearray()
    sent = False
    for piece in chunks:
        buf += piece
        while len(buf) >= size:
            yield bytes(memoryview(buf)[:size])
            del buf[:size]
            sent = True
    if buf or not sent:
        yield bytes(buf)


def _lookahead(pieces: Iterator[bytes]) -> Iterator[tuple[bytes, bool]]:
    """(piece, is_last) pairs."""
    prev = next(pieces, None)
    if prev is None:
        yield b"", True
        return
    for piece in pieces:
        yield prev, False
        prev = piece
    yield prev, True


def encrypt_stream(data_key: bytes, header: Header, sha256: str, plain: Iterable[bytes]) -> Iterator[bytes]:
    """The stored form of ``plain``: header, then authenticated chunks."""
    gcm = AESGCM(data_key)
    aad = _aad(header, sha256)
    yield header.raw
    for index, (piece, last) in enumerate(_lookahead(rechunk(plain, header.chunk))):
        yield gcm.encrypt(_nonce(header, index, last), piece, aad)


def decrypt_stream(stored: Iterable[bytes], sha256: str, data_key_for: Callable[[Header], bytes]) -> Iterator[bytes]:
    """The plain content of a stored envelope blob, chunk by chunk.  ``data_key_for`` unwraps the data key
    (normally from the row, which is authoritative; the header's copy may be older after a re-wrap)."""
    pieces = iter(stored)
    buf = bytearray()
    for piece in pieces:
        buf += piece
        if len(buf) >= MAX_HEADER:
            break
    header = Header.parse(bytes(buf))
    del buf[: len(header.raw)]
    gcm = AESGCM(data_key_for(header))
    aad = _aad(header, sha256)
    size = header.chunk + TAG
    frames = rechunk(_chain(bytes(buf), pieces), size)
    for index, (frame, last) in enumerate(_lookahead(frames)):
        if len(frame) < TAG:
            raise DecryptError("truncated chunk")
        try:
            yield gcm.decrypt(_nonce(header, index, last), frame, aad)
        except InvalidTag:
            raise DecryptError(f"chunk {index} failed authentication") from None


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


# --- the format before envelopes ---------------------------------------------------------------------

def load_legacy_key(key_dir: Path, *, create: bool = False) -> bytes | None:
    """``keys/master.key`` of the scheme before envelopes (None if there is none and ``create`` is false)."""
    path = Path(key_dir) / "master.key"
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.parent / f".master.{secrets.token_hex(4)}.tmp"
        tmp.write_bytes(secrets.token_bytes(32))
        tmp.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
        tmp.unlink(missing_ok=True)
    key = path.read_bytes()
    if len(key) != 32:
        raise RuntimeError(f"{path} is not a 32-byte key")
    return key


def legacy_data_key(master: bytes, sha256: str) -> bytes:
    """The per-blob key of the old scheme (HKDF of the master key and the content hash)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"saraban-blob", info=sha256.encode()).derive(master)


def legacy_encrypt(data_key: bytes, sha256: str, data: bytes) -> bytes:
    """The old stored form (kept to test that old blobs stay readable)."""
    nonce = secrets.token_bytes(12)
    return LEGACY_MAGIC + nonce + AESGCM(data_key).encrypt(nonce, data, sha256.encode())


def legacy_decrypt(data_key: bytes, sha256: str, blob: bytes) -> bytes:
    if not blob.startswith(LEGACY_MAGIC):
        raise DecryptError("not an encrypted Saraban blob (old format)")
    nonce = blob[len(LEGACY_MAGIC): len(LEGACY_MAGIC) + 12]
    try:
        return AESGCM(data_key).decrypt(nonce, blob[len(LEGACY_MAGIC) + 12:], sha256.encode())
    except InvalidTag:
        raise DecryptError("failed authentication (old format)") from None
