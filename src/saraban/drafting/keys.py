"""Signing keys of people and agency seals: registering them, and opening them to sign.

An administrator registers, per person, a key file (PKCS#12) or a PKCS#11 token slot, and per agency
the seal key.  Registering reads the certificate once and records its fingerprint: at signing, the
key must still hold that very certificate (the approved signer), in force and trusted.  A person's
PIN is asked at every signing and never stored; a seal key held by the server takes its PIN from an
environment variable (``env:NAME``) or a file (``file:/path``, readable by the service only).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.errors import InvalidInput
from saraban.orgs.models import Agency, Person
from saraban.signing.errors import KeyMissing, NoSealKey, NoSignerKey, PinRequired
from saraban.signing.pades import ExpectedSigner
from saraban.signing.pki import ORGANISATION
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


def _read_certificate(src: KeySource) -> x509.Certificate:
    with src.open() as signer:
        cert = signer.signing_cert
        if cert is None:
            raise KeyMissing(reason="the key has no certificate")
        return x509.load_der_x509_certificate(cert.dump())


@action("signing.register_key")
def register_key(actor: Any, *, person: Person | None = None, agency: Agency | None = None,
                 backend: str = KeyBackend.KEY_FILE, path: str, pin: str | None = None,
                 pin_mode: str = PinMode.ASK, pin_ref: str = "", token_label: str = "", key_label: str = "",
                 cert_label: str = "", raw_mechanism: bool = False) -> SignerKey:
    """Register (or replace) the active key of a person or an agency seal.

    ``pin`` unlocks the key once to read its certificate; it is not stored.  A seal key needs
    ``pin_mode="stored"`` with ``pin_ref``.
    """
    if (person is None) == (agency is None):
        raise InvalidInput("ระบุบุคคลหรือส่วนราชการอย่างใดอย่างหนึ่ง", "Give a person or an agency, not both",
                           code="key_owner_invalid")
    if backend not in KeyBackend.values or pin_mode not in PinMode.values:
        raise InvalidInput("ชนิดกุญแจไม่ถูกต้อง", "Unknown key backend or PIN mode", code="key_backend_invalid")
    if agency is not None and pin_mode != PinMode.STORED:
        raise InvalidInput("กุญแจตราส่วนราชการต้องเก็บ PIN ไว้ในระบบ (env: หรือ file:)",
                           "An agency seal key needs a stored PIN (env: or file:)", code="seal_pin_required")
    draft = SignerKey(person=person, agency=agency, backend=backend, path=str(path), token_label=token_label,
                      key_label=key_label, cert_label=cert_label, raw_mechanism=raw_mechanism, pin_mode=pin_mode,
                      pin_ref=pin_ref)
    if pin_mode == PinMode.STORED:
        pin = stored_pin(draft)
    cert = _read_certificate(source(draft, pin))
    subject = cert.subject.rfc4514_string()
    draft.cert_sha256 = fingerprint(cert)
    draft.subject = subject[:500]
    draft.not_after = cert.not_valid_after_utc
    draft.test = ORGANISATION in subject
    draft.created_at = clock.now()
    owner = {"person": person} if person is not None else {"agency": agency}
    SignerKey.objects.filter(active=True, **owner).update(active=False)
    draft.save(force_insert=True)
    audit.record("signing.register_key", actor=actor, obj=draft, data={
        "person": str(person.pk) if person else None, "agency": agency.code if agency else None,
        "backend": backend, "subject": subject, "sha256": draft.cert_sha256, "not_after": draft.not_after,
        "test": draft.test,
    })
    return draft

