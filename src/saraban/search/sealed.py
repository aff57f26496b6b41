"""Classified letters' searchable text, sealed: AES-256-GCM with its own data key, wrapped by the deployment's
current master key version (:func:`saraban.storage.keys.seal`, the keys that wrap classified files' data
keys), bound to the letter's id.

The shared index never holds a ลับ / ลับมาก letter's subject or text in the clear; its row carries them
sealed, and :mod:`saraban.search.classified` opens them only for readers who may see the letter.  After a
key rotation, rows sealed under the older version still open while that version is kept; `saraban search
reindex` seals them again under the current one.
"""

from __future__ import annotations

import hashlib
import json
import uuid

from saraban.storage import keys

MAGIC = b"SBSRCH2"


def _context(letter_id: uuid.UUID) -> bytes:
    return b"saraban-search:" + str(letter_id).encode()


def seal(letter_id: uuid.UUID, text: str, words: str) -> bytes:
    plain = json.dumps({"t": text, "w": words}, ensure_ascii=False).encode()
    return MAGIC + keys.seal(plain, _context(letter_id)).encode()


def unseal(letter_id: uuid.UUID, data: bytes) -> tuple[str, str]:
    """The sealed text and words of a letter (``ValueError`` if tampered with, sealed for another letter or
    under another key; :class:`~saraban.storage.errors.KeyUnavailable` if its key version is not here)."""
    data = bytes(data)
    if not data.startswith(MAGIC):
        raise ValueError("not a sealed search text")
    plain = json.loads(keys.unseal(data[len(MAGIC):].decode(), _context(letter_id)))
    return plain["t"], plain["w"]


def mac(text: str) -> str:
    """A keyed digest of secret text (the health check compares it; it reveals nothing without the key)."""
    return keys.master_keys().name_for(hashlib.sha256(b"saraban-search-mac:" + text.encode()).hexdigest())
