"""Classified letters' searchable text, sealed: AES-256-GCM under a key derived from the deployment's master
key (``SARABAN_KEY_DIR/master.key``, the key that encrypts classified files), bound to the letter's id.

The shared index never holds a ลับ / ลับมาก letter's subject or text in the clear; its row carries them
sealed, and :mod:`saraban.search.classified` opens them only for readers who may see the letter.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from functools import cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from saraban.storage.crypto import load_master_key

MAGIC = b"SBSRCH1"


@cache
def _keys() -> tuple[AESGCM, bytes]:
    master = load_master_key(settings.SARABAN_KEY_DIR)
    derive = lambda info: HKDF(algorithm=hashes.SHA256(), length=32, salt=b"saraban-search",  # noqa: E731
                               info=info).derive(master)
    return AESGCM(derive(b"seal")), derive(b"mac")


def seal(letter_id: uuid.UUID, text: str, words: str) -> bytes:
    nonce = secrets.token_bytes(12)
    plain = json.dumps({"t": text, "w": words}, ensure_ascii=False).encode()
    return MAGIC + nonce + _keys()[0].encrypt(nonce, plain, str(letter_id).encode())


def unseal(letter_id: uuid.UUID, data: bytes) -> tuple[str, str]:
    """The sealed text and words of a letter (``cryptography.exceptions.InvalidTag`` if tampered with)."""
    data = bytes(data)
    if not data.startswith(MAGIC):
        raise ValueError("not a sealed search text")
    nonce = data[len(MAGIC):len(MAGIC) + 12]
    plain = json.loads(_keys()[0].decrypt(nonce, data[len(MAGIC) + 12:], str(letter_id).encode()))
    return plain["t"], plain["w"]


def mac(text: str) -> str:
    """A keyed digest of secret text (the health check compares it; it reveals nothing without the key)."""
    return hmac.new(_keys()[1], text.encode(), hashlib.sha256).hexdigest()
