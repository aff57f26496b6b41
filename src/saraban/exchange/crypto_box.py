"""Classified payloads (ลับ, ลับมาก): CMS EnvelopedData to the recipient's encryption certificate.

Sign-then-encrypt: the package is sealed first, then encrypted (AES-256-CBC content key, transported with
the recipient's RSA key); the envelope stays clear and signed and carries the ciphertext's digest.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.serialization import pkcs7

from .errors import ClassificationNotAccepted


def encrypt(data: bytes, recipient: x509.Certificate) -> bytes:
    builder = (pkcs7.PKCS7EnvelopeBuilder().set_data(data).add_recipient(recipient)
               .set_content_encryption_algorithm(algorithms.AES256))
    return builder.encrypt(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])  # bytes as they are, no MIME


def decrypt(data: bytes, cert: x509.Certificate | None, key: object) -> bytes:
    if cert is None or key is None:
        raise ClassificationNotAccepted("ระบบนี้ไม่มีกุญแจถอดรหัสของผู้รับ", "No decryption key for this recipient here")
    try:
        return pkcs7.pkcs7_decrypt_der(data, cert, key, [])  # type: ignore[arg-type]
    except ValueError as exc:
        raise ClassificationNotAccepted("ถอดรหัสเนื้อหาไม่ได้", "The payload cannot be decrypted with our key") from exc
