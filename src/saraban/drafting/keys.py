"""Signing keys of people and agency seals: opening them to sign (registering them is the action
:func:`saraban.drafting.actions.keys.register_key`).

An administrator registers, per person, a key file (PKCS#12) or a PKCS#11 token slot, and per agency
the seal key.  Registering reads the certificate once and records its fingerprint: at signing, the
key must still hold that very certificate (the approved signer), in force and trusted.  A person's
PIN is asked at every signing and never stored; a seal key held by the server takes its PIN from an
environment variable (``env:NAME``) or a file (``file:/path``, readable by the service only).
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from saraban.orgs.models import Agency, Person
from saraban.signing.errors import KeyMissing, NoSealKey, NoSignerKey, PinRequired
from saraban.signing.pades import ExpectedSigner
from saraban.signing.signers import KeyFile, KeySource, Pkcs11Token

from .models import KeyBackend, PinMode, SignerKey


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def source(key: SignerKey, pin: str | None) -> KeySource:
    """The key as a :class:`~saraban.signing.signers.KeySource`, unlocked with ``pin``."""
    if key.backend == KeyBackend.PKCS11:
        return Pkcs11Token(module=Path(key.path), token_label=key.token_label, pin=pin,
                           key_label=key.key_label, cert_label=key.cert_label or None,
                           raw_mechanism=key.raw_mechanism)
    return KeyFile(Path(key.path), pin)


def stored_pin(key: SignerKey) -> str:
    """The PIN of a server-held key (``env:NAME`` or ``file:/path``)."""
    ref = key.pin_ref
    if ref.startswith("env:"):
        value = os.environ.get(ref[4:])
        if value is None:
            raise KeyMissing(reason=f"environment variable {ref[4:]} is not set")
        return value
    if ref.startswith("file:"):
        try:
            return Path(ref[5:]).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise KeyMissing(reason=f"cannot read the PIN file: {exc}") from exc
    raise KeyMissing(reason="the key has no stored PIN")


def person_key(person: Person) -> SignerKey:
    key = SignerKey.objects.filter(person=person, active=True).first()
    if key is None:
        raise NoSignerKey(details={"person": person.full_name_th})
    return key


def seal_key(agency: Agency) -> SignerKey:
    """The agency's seal key, or its nearest parent agency's."""
    current: Agency | None = agency
    while current is not None:
        key = SignerKey.objects.filter(agency=current, active=True).first()
        if key is not None:
            return key
        current = current.parent
    raise NoSealKey(details={"agency": agency.code})


def unlock(key: SignerKey, pin: str | None) -> tuple[KeySource, ExpectedSigner]:
    """The key source and the approval check for one signing (the PIN is asked unless stored)."""
    if key.pin_mode == PinMode.STORED:
        pin = stored_pin(key)
    elif not pin:
        raise PinRequired(details={"key": str(key.pk)})
    wanted = key.cert_sha256
    return source(key, pin), lambda cert: fingerprint(cert) == wanted


def read_certificate(src: KeySource) -> x509.Certificate:
    with src.open() as signer:
        cert = signer.signing_cert
        if cert is None:
            raise KeyMissing(reason="the key has no certificate")
        return x509.load_der_x509_certificate(cert.dump())
