"""The audit chain's key: it lives outside the database, so whoever can rewrite the database cannot
recompute the chain.

``SARABAN_KEY_DIR/audit-chain.key`` (32 random bytes, mode 0600, created on first use) keys the link of every
new event (HMAC-SHA256).  A retired key is kept beside it as ``audit-chain.<key id>.key`` so the events it
keyed still verify.  Back the key directory up apart from the database (docs/security.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import threading
from pathlib import Path

from django.conf import settings

CURRENT = "audit-chain.key"
BLOCK = 64  # SHA-256's block size: HMAC pads the key to it

_lock = threading.Lock()
_cache: dict[str, tuple[str, bytes]] = {}


def key_dir() -> Path:
    return Path(settings.SARABAN_KEY_DIR)


def key_id(key: bytes) -> str:
    """A short public name of a key (it says which key keyed an event; it reveals nothing of the key)."""
    return hashlib.sha256(b"saraban-audit-key-id:" + key).hexdigest()[:16]


def _read(path: Path) -> bytes:
    key = path.read_bytes()
    if len(key) != 32:
        raise RuntimeError(f"{path} is not a 32-byte key")
    return key


def current() -> tuple[str, bytes]:
    """(key id, key) that keys new events; created on first use."""
    directory = key_dir()
    with _lock:
        hit = _cache.get(str(directory))
        if hit is not None:
            return hit
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / CURRENT
    if not path.exists():
        tmp = directory / f".audit-chain.{secrets.token_hex(4)}.tmp"
        tmp.write_bytes(secrets.token_bytes(32))
        tmp.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)  # atomic: the first process wins
        tmp.unlink(missing_ok=True)
    key = _read(path)
    found = (key_id(key), key)
    with _lock:
        _cache[str(directory)] = found
    return found


def known() -> dict[str, bytes]:
    """Every key the verifier can use: the current one and the retired ones beside it."""
    out: dict[str, bytes] = {}
    directory = key_dir()
    if not directory.is_dir():
        return out
    for path in sorted(directory.glob("audit-chain*.key")):
        key = _read(path)
        out[key_id(key)] = key
    return out


def forget() -> None:
    with _lock:
        _cache.clear()


def pads(key: bytes) -> tuple[bytes, bytes]:
    """HMAC's inner and outer keys (key XOR ipad, key XOR opad): with them the database computes the HMAC
    with its plain ``sha256()`` in the statement that appends the event."""
    padded = key.ljust(BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in padded), bytes(b ^ 0x5C for b in padded)


def mac(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()
