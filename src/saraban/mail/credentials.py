"""Mailbox passwords, encrypted at rest under the deployment's master keys (AES-256-GCM).

Each secret has its own data key, wrapped by the current master key version (:func:`saraban.storage.keys.seal`,
``mk2:``), and names the account it belongs to (associated data), so a value copied to another account's row
does not open.  Values sealed before master key versions (``mk1:``, a key derived from ``keys/master.key``)
still open.  Plaintext passwords never reach the database, the audit log or a page.
"""

from __future__ import annotations

import base64

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from saraban.kernel.errors import SarabanError
from saraban.storage import crypto, keys
from saraban.storage.errors import KeyUnavailable

PREFIX = "mk1:"


class SecretUnreadable(SarabanError):
    code = "mail_secret_unreadable"
    message_th = "ถอดรหัสรหัสผ่านกล่องจดหมายไม่ได้ (กุญแจของระบบเปลี่ยนไป?) กรุณาตั้งรหัสผ่านใหม่"
    message_en = "The mailbox password cannot be decrypted (has the master key changed?); set it again"


def _legacy_key() -> bytes:
    master = crypto.load_legacy_key(settings.SARABAN_KEY_DIR)
    if master is None:
        raise SecretUnreadable()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"saraban-mail-credential", info=b"v1").derive(master)


def seal(plain: str, owner: str) -> str:
    """The stored form of a password (empty stays empty)."""
    if not plain:
        return ""
    return keys.seal(plain.encode(), owner.encode())


def unseal(stored: str, owner: str) -> str:
    if not stored:
        return ""
    try:
        if stored.startswith(keys.SEALED):
            return keys.unseal(stored, owner.encode()).decode()
        if not stored.startswith(PREFIX):
            raise SecretUnreadable()
        raw = base64.b64decode(stored[len(PREFIX):])
        return AESGCM(_legacy_key()).decrypt(raw[:12], raw[12:], owner.encode()).decode()
    except (InvalidTag, ValueError, KeyUnavailable) as exc:
        raise SecretUnreadable() from exc
