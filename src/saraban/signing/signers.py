"""Where signing keys live: a key file (PKCS#12 or PEM) or a PKCS#11 token, behind one Protocol.

A :class:`KeySource` opens to a pyHanko ``Signer`` for the time of one signing and closes after it
(a PKCS#11 session is logged out).  Failures become clear errors: a missing token, a wrong PIN or
password, a key that is not there.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from asn1crypto import keys
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.sign.signers import Signer, SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .errors import KeyMissing, PinIncorrect, PinLocked, SigningError, TokenMissing
from .pki import to_asn1


@runtime_checkable
class KeySource(Protocol):
    """A place a signing key lives."""

    @property
    def description(self) -> str:
        """Where the key is, for messages and logs (never the PIN)."""
        ...

    def open(self) -> contextlib.AbstractContextManager[Signer]:
        """A pyHanko signer for the time of the ``with`` block."""
        ...


def _simple_signer(
    key: object, cert: x509.Certificate, chain: Sequence[x509.Certificate]
) -> SimpleSigner:
    der = key.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return SimpleSigner(
        signing_cert=to_asn1(cert),
        signing_key=keys.PrivateKeyInfo.load(der),
        cert_registry=SimpleCertificateStore.from_certs([to_asn1(c) for c in chain]),
    )


@dataclass(frozen=True)
class KeyFile:
    """A key in a file: a PKCS#12 bundle (``.p12``/``.pfx``) or a PEM key with its PEM certificate."""

    path: Path
    password: str | None = None
    cert: Path | None = None
    """The certificate, for a PEM key (a PKCS#12 bundle carries its own)."""
    chain: tuple[Path, ...] = ()
    """Issuer certificates (PEM), added to those in the bundle."""

    @property
    def description(self) -> str:
        return f"key file {self.path.name}"

    def load(self) -> SimpleSigner:
        try:
            data = Path(self.path).read_bytes()
        except OSError as exc:
            raise KeyMissing(path=str(self.path), reason=str(exc)) from exc
        password = self.password.encode() if self.password else None
        extra = [x509.load_pem_x509_certificate(Path(p).read_bytes()) for p in self.chain]
        if self.path.suffix.lower() in (".p12", ".pfx"):
            try:
                key, cert, chain = pkcs12.load_key_and_certificates(data, password)
            except ValueError as exc:
                raise PinIncorrect(path=str(self.path)) from exc
            if key is None or cert is None:
                raise KeyMissing(path=str(self.path))
            return _simple_signer(key, cert, [*chain, *extra])
        try:
            key = serialization.load_pem_private_key(data, password)
        except (TypeError, ValueError) as exc:
            raise PinIncorrect(path=str(self.path)) from exc
        if self.cert is None:
            raise KeyMissing(path=str(self.path), reason="no certificate given for the PEM key")
        cert = x509.load_pem_x509_certificate(Path(self.cert).read_bytes())
        return _simple_signer(key, cert, extra)

    @contextlib.contextmanager
    def open(self) -> Iterator[Signer]:
        yield self.load()


@dataclass(frozen=True)
class Pkcs11Token:
    """A key on a PKCS#11 token (an HSM, a smart card, or SoftHSM2 in tests)."""

    module: Path
    """The PKCS#11 library, e.g. ``/usr/lib/softhsm/libsofthsm2.so``."""
    token_label: str
    pin: str | None
    key_label: str
    cert_label: str | None = None
    """Defaults to ``key_label``."""
    chain: tuple[x509.Certificate, ...] = field(default=())
    """Issuer certificates, when they are not on the token."""
    raw_mechanism: bool = False
    """Hash in software and have the token sign the digest (CKM_ECDSA): needed by tokens such as
    SoftHSM 2.6 that have no hash-and-sign ECDSA mechanism.  ECDSA keys only."""

    @property
    def description(self) -> str:
        return f"PKCS#11 token {self.token_label!r}, key {self.key_label!r}"

    @contextlib.contextmanager
    def open(self) -> Iterator[Signer]:
        import pkcs11
        from pkcs11 import exceptions as p11
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.general import SigningError as PyHankoSigningError
        from pyhanko.sign.pkcs11 import PKCS11Error, PKCS11Signer, open_pkcs11_session

        details = {"token": self.token_label, "key": self.key_label}
        if not Path(self.module).is_file():
            raise TokenMissing(module=str(self.module), **details)
        try:
            session = open_pkcs11_session(
                str(self.module), token_criteria=TokenCriteria(label=self.token_label), user_pin=self.pin
            )
        except (PKCS11Error, pkcs11.PKCS11Error) as exc:
            # pyHanko wraps the library's own error; look through the chain for what happened
            causes: list[BaseException] = []
            cause: BaseException | None = exc
            while cause is not None and cause not in causes:
                causes.append(cause)
                cause = cause.__cause__ or cause.__context__
            if any(isinstance(c, p11.PinIncorrect | p11.PinInvalid | p11.PinLenRange) for c in causes):
                raise PinIncorrect(**details) from exc
            if any(isinstance(c, p11.PinLocked) for c in causes):
                raise PinLocked(**details) from exc
            if isinstance(exc, PKCS11Error) or any(
                isinstance(c, p11.TokenNotPresent | p11.TokenNotRecognised | p11.SlotIDInvalid) for c in causes
            ):
                raise TokenMissing(**details) from exc
            raise SigningError(reason=type(exc).__name__, **details) from exc
        try:
            signer = PKCS11Signer(
                session,
                key_label=self.key_label,
                cert_label=self.cert_label or self.key_label,
                ca_chain=[to_asn1(c) for c in self.chain],
                use_raw_mechanism=self.raw_mechanism,
            )
            try:
                signer.signing_cert  # noqa: B018 - loads key and certificate now, to fail early
            except (PKCS11Error, PyHankoSigningError, pkcs11.NoSuchKey) as exc:
                raise KeyMissing(**details) from exc
            yield signer
        finally:
            with contextlib.suppress(Exception):
                session.close()
