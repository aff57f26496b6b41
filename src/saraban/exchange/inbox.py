"""Receiving an SBX message: verify before accepting, deduplicate, store and commit, answer with a receipt.

The same function serves the HTTPS endpoint (``peer_sha256`` = the TLS client certificate) and the
in-process path for agencies of this deployment (``peer_sha256`` = our own client certificate), so both
behave identically.  Checks, in order: size, envelope and version, recipient served here, sender in the
directory, TLS certificate of the sender, seal signature, repeat (same receipt) or conflict (409), time
(future-dated, expired), payload digest, classification, package.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError

from saraban.kernel import clock
from saraban.kernel.ids import uuid7

from . import cades, codes, crypto_box, directory, envelope, local, package
from . import node as node_mod
from .actions import Accepted, accept
from .errors import (
    ClassificationNotAccepted,
    EnvelopeInvalid,
    Expired,
    MessageConflict,
    PackageInvalid,
    SenderMismatch,
    SenderNotAuthenticated,
    SignatureInvalid,
    SizeLimitExceeded,
    Unavailable,
    UnknownRecipient,
)
from .models import InboundMessage, Participant

MAX_FUTURE = dt.timedelta(minutes=10)
RECEIPT_TTL = dt.timedelta(hours=72)


def max_message_bytes() -> int:
    import os

    return int(float(os.environ.get("SARABAN_SBX_MAX_MESSAGE_MB", "50")) * 1024 * 1024)


@dataclass(frozen=True)
class Receipt:
    """The answer: 202 for a first delivery, 200 for a repeat, with the same signed receipt."""

    status: int
    envelope: bytes
    signature: bytes
    receipt_id: str
    message_id: str


def _stored(m: InboundMessage, status: int) -> Receipt:
    return Receipt(status, bytes(m.receipt_envelope), bytes(m.receipt_sig), m.receipt_id, str(m.message_id))


def _repeat(sender_org: str, env: envelope.Envelope, env_sha: str, payload_sha: str) -> Receipt | None:
    prior = InboundMessage.objects.filter(sender_org=sender_org, message_id=env.message_id).first()
    if prior is None:
        return None
    if prior.envelope_sha256 != env_sha or prior.payload_sha256 != payload_sha:
        raise MessageConflict(details={"message_id": str(env.message_id)})
    return _stored(prior, 200)


def _receipt_signer(node: node_mod.NodeConfig, recipient: Participant, env: envelope.Envelope, env_sha: str,
                    payload_sha: str) -> Callable[[dt.datetime, str], tuple[bytes, bytes]]:
    """The recipient's seal signs the ``delivered`` receipt (the intermediary's, for a mailbox)."""
    signer_code = recipient.code
    if not local.served_here(signer_code):
        host = Participant.objects.get(org=recipient.via)
        signer_code = host.code
    seal = node.seal_for(signer_code)

    def make(received_at: dt.datetime, receipt_id: str) -> tuple[bytes, bytes]:
        body = envelope.build(
            message_id=uuid7(), kind="signal", signal="delivered", letter_uuid=env.letter_uuid,
            in_reply_to=env.message_id, sender_org=recipient.org, recipient_org=env.sender.org,
            urgency=codes.SPEED_TO_URGENCY[env.priority.code], secrecy=codes.SECRET_TO_SECRECY[env.classification.code],
            created_at=received_at, expires_at=received_at + RECEIPT_TTL,
            evidence={"received_at": envelope.rfc3339(received_at), "envelope_sha256": env_sha,
                      "payload_sha256": payload_sha or None, "receipt_id": receipt_id},
        )
        return body, cades.sign(body, seal, node.timestamper())

    return make


@dataclass(frozen=True)
class _Parties:
    recipient: Participant
    sender: Participant
    mailbox: bool  # held here for a participant that pulls it (not opened, not handed over)


def _parties(env: envelope.Envelope, *, peer_sha256: str, route: str) -> _Parties:
    """Recipient served here (or a mailbox kept here), sender in the directory, its TLS certificate."""
    recipient = directory.by_org(env.recipient.org)
    if recipient is None:
        raise UnknownRecipient(details={"recipient": env.recipient.org})
    mailbox = not local.served_here(recipient.code)
    if mailbox and not local.mailbox_here(recipient):
        raise UnknownRecipient(details={"recipient": env.recipient.org})
    sender = directory.by_org(env.sender.org)
    if sender is None or not directory.in_force(sender):
        raise SenderNotAuthenticated(details={"sender": env.sender.org})
    if route != "mailbox":  # pulled mail came over our own connection to our intermediary: the seal decides
        if not peer_sha256:
            raise SenderNotAuthenticated()
        if peer_sha256 not in sender.tls_cert_sha256:
            raise SenderMismatch(details={"sender": env.sender.org})
    return _Parties(recipient, sender, mailbox)


def _check_timely(env: envelope.Envelope, payload: bytes | None, payload_sha: str) -> str:
    """Time (not future-dated, not expired), classification, payload digest; returns the secrecy."""
    now = clock.now()
    if env.created_at > now + MAX_FUTURE:
        raise EnvelopeInvalid("ซองข้อความลงเวลาในอนาคต", "The envelope is dated in the future",
                              details={"created_at": env.created_at.isoformat()})
    if env.expires_at <= now:
        raise Expired(details={"expires_at": env.expires_at.isoformat()})
    secrecy = codes.SECRET_TO_SECRECY[env.classification.code]
    if secrecy == "top_secret":
        raise ClassificationNotAccepted("หนังสือชั้นลับที่สุดรับทางระบบไม่ได้", "Top secret letters are never accepted")
    if env.payload is not None:
        if payload is None:
            raise PackageInvalid("ไม่มีเนื้อหาตามที่ซองระบุ", "The payload named in the envelope is missing")
        if env.payload.sha256 != payload_sha or env.payload.size != len(payload):
            raise PackageInvalid("เนื้อหาไม่ตรงกับค่าแฮชในซอง (ถูกแก้ไขระหว่างทาง)",
                                 "The payload does not match the digest in the envelope (altered in transit)")
    elif payload is not None:
        raise EnvelopeInvalid("ซองไม่ระบุเนื้อหาแต่มีเนื้อหาแนบมา", "A payload came with an envelope that names none")
    return secrecy


def _open_letter(node: node_mod.NodeConfig, env: envelope.Envelope, payload: bytes, parties: _Parties,
                 secrecy: str, verification: dict[str, Any]) -> bytes:
    """Decrypt (if classified and ours) and open the package, checking it against the envelope; returns the
    package bytes and adds the package seal's report to ``verification``."""
    assert env.payload is not None
    if env.payload.media_type != codes.PACKAGE_TYPE:
        raise PackageInvalid("ชนิดเนื้อหาไม่รองรับ", f"Unsupported payload type {env.payload.media_type}")
    if secrecy != "normal" and not env.payload.encrypted:
        raise ClassificationNotAccepted("หนังสือชั้นความลับต้องเข้ารหัสถึงผู้รับ", "Classified payloads must be encrypted")
    if parties.mailbox:
        return payload
    package_bytes = payload
    if env.payload.encrypted:
        keys = node.agencies[parties.recipient.code]
        if keys.encryption_cert is None or env.payload.encrypted_for_cert_sha256 != node_mod.cert_sha256(
                keys.encryption_cert):
            raise ClassificationNotAccepted("เนื้อหาไม่ได้เข้ารหัสถึงใบรับรองของผู้รับ",
                                            "The payload is not encrypted to the recipient's certificate")
        package_bytes = crypto_box.decrypt(payload, keys.encryption_cert, keys.encryption_key)
    opened = package.open_package(package_bytes, trust=node.trust,
                                  allowed_sha256=directory.seal_fingerprints(parties.sender),
                                  max_bytes=max_message_bytes())
    letter = opened.letter
    if letter.letter_uuid != env.letter_uuid or letter.sender.org != env.sender.org:
        raise PackageInvalid("letter.json ไม่ตรงกับซอง (รหัสหนังสือหรือผู้ส่ง)",
                             "letter.json does not match the envelope (letter id or sender)")
    if letter.secrecy.code != env.classification.code:
        raise PackageInvalid("ชั้นความลับใน letter.json ไม่ตรงกับซอง", "Classification differs from the envelope")
    verification["package"] = opened.seal.as_dict()
    return package_bytes


def _signal_business(env: envelope.Envelope) -> dict[str, Any]:
    if env.signal in ("delivered", "failed"):
        raise EnvelopeInvalid(f"สัญญาณ {env.signal} ไม่ส่งเป็นข้อความ", f"`{env.signal}` is not sent as a message")
    if env.in_reply_to is None:
        raise EnvelopeInvalid("สัญญาณต้องระบุ in_reply_to", "A signal needs in_reply_to")
    return env.business.model_dump(mode="json", exclude_none=True) if env.business else {}


def receive_message(envelope_bytes: bytes, signature: bytes, payload: bytes | None, *, peer_sha256: str,
                    route: str, payload_type: str = "") -> Receipt:
    """Verify and accept one message; raise an :class:`~.errors.SbxError` (nothing stored) if it fails."""
    if not node_mod.configured():
        raise Unavailable()
    node = node_mod.load()
    size = len(envelope_bytes) + len(signature) + len(payload or b"")
    if size > max_message_bytes():
        raise SizeLimitExceeded(details={"size": size, "max": max_message_bytes()})
    env = envelope.parse(envelope_bytes)
    parties = _parties(env, peer_sha256=peer_sha256, route=route)
    try:
        report = cades.verify(envelope_bytes, signature, trust=node.trust,
                              allowed_sha256=directory.seal_fingerprints(parties.sender))
    except cades.CmsInvalid as exc:
        raise SignatureInvalid(details={"reason": exc.reason}) from exc
    env_sha = hashlib.sha256(envelope_bytes).hexdigest()
    payload_sha = hashlib.sha256(payload).hexdigest() if payload is not None else ""
    repeat = _repeat(env.sender.org, env, env_sha, payload_sha)
    if repeat is not None:
        return repeat
    secrecy = _check_timely(env, payload, payload_sha)
    verification: dict[str, Any] = {"envelope": report.as_dict(), "tls_client_sha256": peer_sha256, "route": route}
    package_bytes, business = None, {}
    if env.kind == "letter":
        assert payload is not None
        package_bytes = _open_letter(node, env, payload, parties, secrecy, verification)
    else:
        business = _signal_business(env)
    recipient = parties.recipient
    accepted = Accepted(
        envelope=envelope_bytes, envelope_sha256=env_sha, signature=signature, payload=payload,
        payload_sha256=payload_sha, package=package_bytes if secrecy != "normal" else None, kind=env.kind,
        signal=env.signal or "", message_id=env.message_id, letter_uuid=env.letter_uuid, in_reply_to=env.in_reply_to,
        sender_org=env.sender.org, sender_code=parties.sender.code, recipient_code=recipient.code,
        urgency=codes.SPEED_TO_URGENCY[env.priority.code], secrecy=secrecy, business=business,
        verification=verification, route=route, peer_sha256=peer_sha256, mailbox=parties.mailbox,
        receipt=_receipt_signer(node, recipient, env, env_sha, payload_sha),
    )
    try:
        m = accept(accepted)
    except IntegrityError:
        # the same message arrived twice at once and the other one committed first
        again = _repeat(env.sender.org, env, env_sha, payload_sha)
        if again is None:
            raise
        return again
    return _stored(m, 202)


def stored_receipt(sender_org: str | None, message_id: str) -> InboundMessage | None:
    qs = InboundMessage.objects.filter(message_id=message_id)
    if sender_org:
        qs = qs.filter(sender_org=sender_org)
    return qs.first()
