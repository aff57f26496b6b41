"""Mailbox passwords, encrypted at rest with the deployment's master key (AES-256-GCM).

The key is derived (HKDF-SHA256) from the master key that also protects classified files, for this one
purpose; each secret has its own random nonce and names the account it belongs to (associated data), so a
value copied to another account's row does not open.  Plaintext passwords never reach the database,
the audit log or a page.
"""

from __future__ import annotations

import base64
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from saraban.kernel.errors import SarabanError
from saraban.storage import crypto

PREFIX = "mk1:"


class SecretUnreadable(SarabanError):
    code = "mail_secret_unreadable"
    message_th = "ถอดรหัสรหัสผ่านกล่องจดหมายไม่ได้ (กุญแจของระบบเปลี่ยนไป?) กรุณาตั้งรหัสผ่านใหม่"
    message_en = "The mailbox password cannot be decrypted (has the master key changed?); set it again"


def _key() -> bytes:
    master = crypto.load_master_key(settings.SARABAN_KEY_DIR)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"saraban-mail-credential", info=b"v1").derive(master)


def seal(plain: str, owner: str) -> str:
    """The stored form of a password (empty stays empty)."""
    if not plain:
        return ""
    nonce = secrets.token_bytes(12)
    box = AESGCM(_key()).encrypt(nonce, plain.encode(), owner.encode())
    return PREFIX + base64.b64encode(nonce + box).decode()


def unseal(stored: str, owner: str) -> str:
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        raise SecretUnreadable()
    raw = base64.b64decode(stored[len(PREFIX):])
    try:
        return AESGCM(_key()).decrypt(raw[:12], raw[12:], owner.encode()).decode()
    except (InvalidTag, ValueError) as exc:
        raise SecretUnreadable() from exc
