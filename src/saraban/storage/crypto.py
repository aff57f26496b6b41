"""Encryption at rest for classified content (ลับ / ลับมาก): AES-256-GCM.

Each blob gets its own key derived (HKDF-SHA256) from the deployment's master key and the blob's
content hash; the nonce is random and stored in front of the ciphertext.  The master key lives in
``SARABAN_KEY_DIR/master.key`` (created on first use, mode 0600); back it up apart from the data.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"SBENC1"


def load_master_key(key_dir: Path) -> bytes:
    key_dir.mkdir(parents=True, exist_ok=True)
    path = key_dir / "master.key"
    if not path.exists():
        tmp = key_dir / f".master.{secrets.token_hex(4)}.tmp"
        tmp.write_bytes(secrets.token_bytes(32))
        tmp.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
        tmp.unlink(missing_ok=True)
    key = path.read_bytes()
    if len(key) != 32:
        raise RuntimeError(f"{path} is not a 32-byte key")
    return key


def _blob_key(master: bytes, sha256: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"saraban-blob", info=sha256.encode()).derive(master)


def encrypt(master: bytes, sha256: str, data: bytes) -> bytes:
    nonce = secrets.token_bytes(12)
    return MAGIC + nonce + AESGCM(_blob_key(master, sha256)).encrypt(nonce, data, sha256.encode())


def decrypt(master: bytes, sha256: str, blob: bytes) -> bytes:
    if not blob.startswith(MAGIC):
        raise ValueError("not an encrypted Saraban blob")
    nonce = blob[len(MAGIC): len(MAGIC) + 12]
    return AESGCM(_blob_key(master, sha256)).decrypt(nonce, blob[len(MAGIC) + 12:], sha256.encode())
