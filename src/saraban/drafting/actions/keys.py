"""Registering the signing key of a person or the seal key of an agency."""

from __future__ import annotations

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.errors import InvalidInput
from saraban.orgs.models import Agency, Person
from saraban.signing.pki import ORGANISATION

from ..keys import fingerprint, read_certificate, source, stored_pin
from ..models import KeyBackend, PinMode, SignerKey


@action("signing.register_key")
def register_key(actor: Actor, *, person: Person | None = None, agency: Agency | None = None,
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
    cert = read_certificate(source(draft, pin))
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
