"""Master keys on a PKCS#11 token or HSM (SoftHSM2 in tests): the keys never leave the token.

Master key version *n* is the AES-256 secret key labelled ``<prefix><n>`` (default ``saraban-master-<n>``):
not extractable, used only to wrap and unwrap (``CKM_AES_KEY_WRAP``, the same RFC 3394 wrap as the file
keys).  Blob names are HMAC-SHA256 on the token with the generic secret labelled ``saraban-names``.
Keys that are missing are generated on the token: version 1 on the first encrypted write of a new
installation, the naming key on first use, later versions by ``saraban keys rotate``.

Settings: ``SARABAN_PKCS11_MODULE`` (the library), ``SARABAN_PKCS11_TOKEN`` (token label),
``SARABAN_PKCS11_PIN`` or ``SARABAN_PKCS11_PIN_FILE``, ``SARABAN_PKCS11_PREFIX``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from .errors import KeyUnavailable

T = TypeVar("T")
NAMES_LABEL = "saraban-names"


class Pkcs11Keys:
    kind = "pkcs11"

    def __init__(self, module: Path | str, token_label: str, pin: str, prefix: str = "saraban-master-") -> None:
        self.module, self.token_label, self.pin, self.prefix = str(module), token_label, pin, prefix
        self._lock = threading.Lock()
        self._session: Any = None
        self._pid = 0

    @classmethod
    def from_settings(cls) -> Pkcs11Keys:
        env = os.environ
        module = env.get("SARABAN_PKCS11_MODULE", "")
        token = env.get("SARABAN_PKCS11_TOKEN", "")
        pin = env.get("SARABAN_PKCS11_PIN", "")
        if not pin and env.get("SARABAN_PKCS11_PIN_FILE"):
            pin = Path(env["SARABAN_PKCS11_PIN_FILE"]).read_text().strip()
        if not (module and token and pin):
            raise RuntimeError("SARABAN_KMS=pkcs11 needs SARABAN_PKCS11_MODULE, SARABAN_PKCS11_TOKEN and a PIN")
        return cls(module, token, pin, env.get("SARABAN_PKCS11_PREFIX", "saraban-master-"))

    def _with_session(self, fn: Callable[[Any], T]) -> T:
        """Run ``fn`` with this process's logged-in session (opened again after a fork or an error)."""
        import pkcs11

        with self._lock:
            if self._session is None or self._pid != os.getpid():
                try:
                    token = pkcs11.lib(self.module).get_token(token_label=self.token_label)
                    self._session = token.open(rw=True, user_pin=self.pin)
                except (pkcs11.PKCS11Error, RuntimeError, OSError) as exc:
                    raise KeyUnavailable(
                        f"เปิดโทเค็น PKCS#11 ‘{self.token_label}’ ไม่ได้", f"Cannot open PKCS#11 token "
                        f"'{self.token_label}': {type(exc).__name__}") from exc
                self._pid = os.getpid()
            try:
                return fn(self._session)
            except pkcs11.exceptions.SessionHandleInvalid:
                self._session = None
                raise

    def _label(self, version: int) -> str:
        return f"{self.prefix}{version}"

    def _master(self, session: Any, version: int) -> Any:
        from pkcs11 import KeyType, ObjectClass
        from pkcs11.exceptions import NoSuchKey

        try:
            return session.get_key(object_class=ObjectClass.SECRET_KEY, key_type=KeyType.AES,
                                   label=self._label(version))
        except NoSuchKey:
            raise KeyUnavailable(details={"key_version": version}) from None

    def _generate(self, session: Any, version: int) -> Any:
        from pkcs11 import Attribute, KeyType

        return session.generate_key(KeyType.AES, 256, label=self._label(version), store=True, template={
            Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False, Attribute.WRAP: True, Attribute.UNWRAP: True,
            Attribute.ENCRYPT: False, Attribute.DECRYPT: False, Attribute.PRIVATE: True,
        })

    def versions(self) -> list[int]:
        from pkcs11 import Attribute, ObjectClass

        def find(session: Any) -> list[int]:
            found = []
            for obj in session.get_objects({Attribute.CLASS: ObjectClass.SECRET_KEY}):
                label = obj[Attribute.LABEL]
                if label.startswith(self.prefix) and label[len(self.prefix):].isdigit():
                    found.append(int(label[len(self.prefix):]))
            return sorted(found)

        return self._with_session(find)

    def create(self, version: int) -> None:
        if version in self.versions():
            return
        self._with_session(lambda s: self._generate(s, version))

    def wrap(self, version: int, data_key: bytes) -> bytes:
        from pkcs11 import Attribute, KeyType, ObjectClass

        def do(session: Any) -> bytes:
            master = self._master(session, version)
            temp = session.create_object({
                Attribute.CLASS: ObjectClass.SECRET_KEY, Attribute.KEY_TYPE: KeyType.AES, Attribute.VALUE: data_key,
                Attribute.TOKEN: False, Attribute.EXTRACTABLE: True, Attribute.SENSITIVE: False,
            })
            try:
                return bytes(master.wrap_key(temp))
            finally:
                temp.destroy()

        return self._with_session(do)

    def unwrap(self, version: int, wrapped: bytes) -> bytes:
        import pkcs11
        from pkcs11 import Attribute, KeyType, ObjectClass

        def do(session: Any) -> bytes:
            master = self._master(session, version)
            try:
                key = master.unwrap_key(ObjectClass.SECRET_KEY, KeyType.AES, wrapped, store=False,
                                        template={Attribute.SENSITIVE: False, Attribute.EXTRACTABLE: True})
            except pkcs11.PKCS11Error:
                raise ValueError(f"the data key does not unwrap with master key version {version}") from None
            try:
                return bytes(key[Attribute.VALUE])
            finally:
                key.destroy()

        return self._with_session(do)

    def name_for(self, sha256: str) -> str:
        from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass
        from pkcs11.exceptions import NoSuchKey

        def do(session: Any) -> str:
            try:
                key = session.get_key(object_class=ObjectClass.SECRET_KEY, key_type=KeyType.GENERIC_SECRET,
                                      label=NAMES_LABEL)
            except NoSuchKey:
                key = session.generate_key(KeyType.GENERIC_SECRET, 256, label=NAMES_LABEL, store=True,
                                           mechanism=Mechanism.GENERIC_SECRET_KEY_GEN, template={
                                               Attribute.SIGN: True, Attribute.VERIFY: True, Attribute.PRIVATE: True,
                                               Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False})
            return bytes(key.sign(b"saraban-blob-name:" + sha256.encode(), mechanism=Mechanism.SHA256_HMAC)).hex()

        return self._with_session(do)
