"""SoftHSM2 tokens for tests and the demo: a software PKCS#11 token in a private directory.

SoftHSM reads its configuration file (``SOFTHSM2_CONF``) when the PKCS#11 library is first loaded
in a process, so :func:`create_token` points the environment at its own configuration and should
run before anything loads the library.  Tokens are created with ``softhsm2-util`` and the key and
certificate are put on them through PKCS#11 itself (``python-pkcs11``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import core
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from .pki import Credential
from .signers import Pkcs11Token

MODULE_CANDIDATES = (
    Path("/usr/lib/softhsm/libsofthsm2.so"),
    Path("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
    Path("/usr/local/lib/softhsm/libsofthsm2.so"),
)


def softhsm_module() -> Path | None:
    """The SoftHSM2 PKCS#11 library, if installed (``apt-get install softhsm2``)."""
    for path in MODULE_CANDIDATES:
        if path.is_file():
            return path
    return None


@dataclass(frozen=True)
class SoftToken:
    module: Path
    conf: Path
    label: str
    pin: str
    so_pin: str

    def key_source(self, key_label: str, *, pin: str | None = None, credential: Credential | None = None
                   ) -> Pkcs11Token:
        """A :class:`Pkcs11Token` for a key on this token (``pin`` overrides the right one)."""
        return Pkcs11Token(
            module=self.module, token_label=self.label, pin=self.pin if pin is None else pin,
            key_label=key_label, chain=credential.chain if credential else (), raw_mechanism=True,
        )


def use_config(directory: Path) -> Path:
    """Write a SoftHSM2 configuration keeping tokens in ``directory`` and point ``SOFTHSM2_CONF`` at it."""
    tokens = directory / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = directory / "softhsm2.conf"
    if not conf.exists():
        conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    return conf


def create_token(directory: Path, label: str, pin: str, so_pin: str = "12345678") -> SoftToken:
    """Initialise a new SoftHSM2 token called ``label`` whose tokens live under ``directory``."""
    module = softhsm_module()
    util = shutil.which("softhsm2-util")
    if module is None or util is None:
        raise RuntimeError("SoftHSM2 is not installed (apt-get install -y --no-install-recommends softhsm2)")
    conf = use_config(directory)
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    subprocess.run(
        [util, "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", so_pin],
        check=True, capture_output=True, env=env,
    )
    return SoftToken(module=module, conf=conf, label=label, pin=pin, so_pin=so_pin)


def put_credential(token: SoftToken, credential: Credential, key_label: str, key_id: bytes = b"\x01") -> None:
    """Store ``credential``'s EC private key and certificate on the token under ``key_label``."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
    from pkcs11.util.ec import encode_named_curve_parameters

    key = credential.key
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise TypeError("only EC keys are put on test tokens")
    curve = {"secp256r1": "secp256r1", "secp384r1": "secp384r1"}[key.curve.name]
    size = (key.curve.key_size + 7) // 8
    lib = pkcs11.lib(str(token.module))
    tok = lib.get_token(token_label=token.label)
    with tok.open(rw=True, user_pin=token.pin) as session:
        session.create_object({
            Attribute.CLASS: ObjectClass.PRIVATE_KEY,
            Attribute.KEY_TYPE: KeyType.EC,
            Attribute.TOKEN: True,
            Attribute.PRIVATE: True,
            Attribute.SENSITIVE: True,
            Attribute.SIGN: True,
            Attribute.LABEL: key_label,
            Attribute.ID: key_id,
            Attribute.EC_PARAMS: encode_named_curve_parameters(curve),
            Attribute.VALUE: key.private_numbers().private_value.to_bytes(size, "big"),
        })
        cert = credential.cert
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True,
            Attribute.LABEL: key_label,
            Attribute.ID: key_id,
            Attribute.SUBJECT: cert.subject.public_bytes(),
            Attribute.ISSUER: cert.issuer.public_bytes(),
            Attribute.SERIAL_NUMBER: core.Integer(cert.serial_number).dump(),
            Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
        })
