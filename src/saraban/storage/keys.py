"""Master keys: they wrap the data keys of encrypted blobs and name classified blobs, and never enter the database.

A :class:`MasterKeys` keeps numbered master key versions and one naming key.  Implementations, chosen by
``SARABAN_KMS``:

- ``file`` (default): ``SARABAN_KEY_DIR/master-<n>.key`` and ``names.key`` (32 random bytes each, mode 0600),
  or, when ``SARABAN_MASTER_KEYS`` is set (``1:<base64>,2:<base64>``), keys from the environment with the
  naming key in ``SARABAN_NAMES_KEY``;
- ``pkcs11``: AES keys on a PKCS#11 token or HSM (:mod:`saraban.storage.pkcs11keys`); the keys never leave it.

Which version new data keys are wrapped with is recorded in the database (:class:`~.models.KeyVersion`,
changed by ``saraban keys rotate``); version 1 is current until the first rotation.  Tests install their
own with :func:`use`.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import re
import secrets
from functools import cache
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap
from django.conf import settings

from .errors import KeyUnavailable

SEALED = "mk2:"
FINGERPRINT_PROBE = b"saraban-key-fingerprint-probe-00"  # 32 bytes, wrapped to identify a key without showing it


class MasterKeys(Protocol):
    kind: str

    def versions(self) -> list[int]:
        """The master key versions available here."""
        ...

    def create(self, version: int) -> None:
        """Make a new master key version (``KeyUnavailable`` if this source cannot make keys)."""
        ...

    def wrap(self, version: int, data_key: bytes) -> bytes:
        """AES key wrap (RFC 3394) of a 32-byte data key; ``KeyUnavailable`` if the version is not here."""
        ...

    def unwrap(self, version: int, wrapped: bytes) -> bytes:
        """The data key; ``KeyUnavailable`` if the version is not here, ``ValueError`` if it does not fit."""
        ...

    def name_for(self, sha256: str) -> str:
        """The keyed hash (HMAC-SHA256, 64 hex) that names an encrypted blob of this content."""
        ...


def fingerprint(keys: MasterKeys, version: int) -> str:
    """Identifies a key version (for backups and status) without revealing anything about it."""
    return hashlib.sha256(keys.wrap(version, FINGERPRINT_PROBE)).hexdigest()[:16]


def _write_new(path: Path, data: bytes) -> None:
    """Create ``path`` atomically with mode 0600 (its directory 0700); the first writer wins."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    with contextlib.suppress(FileExistsError):
        os.link(tmp, path)
    tmp.unlink(missing_ok=True)
    dfd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


class FileKeys:
    """Master keys in files under a directory (or given directly, from the environment)."""

    kind = "file"
    _NAME = re.compile(r"^master-(\d+)\.key$")

    def __init__(self, key_dir: Path, given: dict[int, bytes] | None = None, names_key: bytes | None = None) -> None:
        self.key_dir = Path(key_dir)
        self.given = given
        self._names_key = names_key
        self._cache: dict[int, bytes] = {}

    def _path(self, version: int) -> Path:
        return self.key_dir / f"master-{version}.key"

    def versions(self) -> list[int]:
        if self.given is not None:
            return sorted(self.given)
        if not self.key_dir.is_dir():
            return []
        found = (self._NAME.match(p.name) for p in self.key_dir.iterdir())
        return sorted(int(m.group(1)) for m in found if m)

    def create(self, version: int) -> None:
        if self.given is not None:
            raise KeyUnavailable(
                f"กุญแจหลักมาจากตัวแปร SARABAN_MASTER_KEYS: เพิ่มรุ่น {version} ในตัวแปรนั้นทุกเครื่องก่อน",
                f"Master keys come from SARABAN_MASTER_KEYS: add version {version} there on every machine first")
        if version < 1:
            raise ValueError("key versions start at 1")
        _write_new(self._path(version), secrets.token_bytes(32))

    def _key(self, version: int) -> bytes:
        if version in self._cache:
            return self._cache[version]
        if self.given is not None:
            key = self.given.get(version)
        else:
            path = self._path(version)
            key = path.read_bytes() if path.exists() else None
        if key is None:
            raise KeyUnavailable(details={"key_version": version})
        if len(key) != 32:
            raise RuntimeError(f"master key version {version} is not 32 bytes")
        self._cache[version] = key
        return key

    def wrap(self, version: int, data_key: bytes) -> bytes:
        return aes_key_wrap(self._key(version), data_key)

    def unwrap(self, version: int, wrapped: bytes) -> bytes:
        try:
            return aes_key_unwrap(self._key(version), wrapped)
        except InvalidUnwrap:
            raise ValueError(f"the data key does not unwrap with master key version {version}") from None

    def _names(self) -> bytes:
        if self._names_key is None:
            path = self.key_dir / "names.key"
            if not path.exists():
                _write_new(path, secrets.token_bytes(32))
            self._names_key = path.read_bytes()
        return self._names_key

    def name_for(self, sha256: str) -> str:
        return hmac.new(self._names(), b"saraban-blob-name:" + sha256.encode(), hashlib.sha256).hexdigest()


def _env_keys(value: str) -> dict[int, bytes]:
    keys: dict[int, bytes] = {}
    for part in value.split(","):
        if not part.strip():
            continue
        version, _, b64 = part.strip().partition(":")
        keys[int(version)] = base64.b64decode(b64)
    return keys


_installed: MasterKeys | None = None


def use(keys: MasterKeys | None) -> None:
    """Install (or, with ``None``, remove) the master keys every caller gets (tests)."""
    global _installed
    _installed = keys


def master_keys() -> MasterKeys:
    return _installed if _installed is not None else _configured()


@cache
def _configured() -> MasterKeys:
    kind = getattr(settings, "SARABAN_KMS", "file")
    if kind == "file":
        env = os.environ.get("SARABAN_MASTER_KEYS", "")
        if env:
            names = os.environ.get("SARABAN_NAMES_KEY", "")
            if not names:
                raise RuntimeError("SARABAN_MASTER_KEYS needs SARABAN_NAMES_KEY (base64 of 32 bytes) beside it")
            return FileKeys(settings.SARABAN_KEY_DIR, _env_keys(env), base64.b64decode(names))
        return FileKeys(settings.SARABAN_KEY_DIR)
    if kind == "pkcs11":
        from .pkcs11keys import Pkcs11Keys

        return Pkcs11Keys.from_settings()
    raise RuntimeError(f"unknown SARABAN_KMS {kind!r}")


def first_key_in_place() -> None:
    """A new installation makes master key version 1 on its first encrypted write — but never again once
    anything was encrypted with it (a lost key must be reported, not silently replaced)."""
    from .models import Blob

    master = master_keys()
    if 1 in master.versions():
        return
    if Blob.objects.filter(encrypted=True, key_version=1).exists():
        raise KeyUnavailable(details={"key_version": 1})
    master.create(1)


def seal(plain: bytes, context: bytes) -> str:
    """A small secret (a mailbox password) encrypted for the database: AES-256-GCM with its own data key, wrapped
    by the current master key version; ``context`` (whose secret it is) must be given again to open it."""
    version = version_for_writing()
    data_key = secrets.token_bytes(32)
    nonce = secrets.token_bytes(12)
    box = AESGCM(data_key).encrypt(nonce, plain, context)
    wrapped = master_keys().wrap(version, data_key)
    return f"{SEALED}{version}:{base64.b64encode(wrapped).decode()}:{base64.b64encode(nonce + box).decode()}"


def unseal(stored: str, context: bytes) -> bytes:
    """The secret :func:`seal` made (``ValueError`` if it was altered, belongs elsewhere or the key differs;
    :class:`KeyUnavailable` if its master key version is not here)."""
    if not stored.startswith(SEALED):
        raise ValueError("not a sealed secret")
    version, wrapped, box = stored[len(SEALED):].split(":")
    data_key = master_keys().unwrap(int(version), base64.b64decode(wrapped))
    raw = base64.b64decode(box)
    try:
        return AESGCM(data_key).decrypt(raw[:12], raw[12:], context)
    except InvalidTag:
        raise ValueError("the sealed secret does not open") from None


def version_for_writing() -> int:
    """The current version, made first if this is a new installation's first encrypted write."""
    version = current_version()
    if version == 1:
        first_key_in_place()
    return version


def current_version() -> int:
    """The master key version new data keys are wrapped with."""
    from .models import KeyVersion

    latest = KeyVersion.objects.order_by("-version").values_list("version", flat=True).first()
    return int(latest) if latest else 1
