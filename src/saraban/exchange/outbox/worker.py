"""The outbox worker: claim a due message, build it once, send it, record the receipt or schedule a retry.

Claiming takes a lease (see :func:`saraban.exchange.outbox.claim`), so several workers (the task queue,
the exchange process's loop) never send one message at the same time, and a worker killed mid-send
leaves a lease that simply runs out.  The envelope, its signature and the payload are built on the first
attempt and *stored before anything is sent* (transport bookkeeping, like the task queue's own rows, not
a domain event); every retry sends exactly those bytes with the same message id, so the receiver answers
a repeat with the receipt it already gave.  Retries back off exponentially with jitter until the message
expires; then it is ``failed`` and the fallback is offered.  Sending goes through the transport chosen by
settings (:func:`saraban.exchange.transport.current`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from saraban.kernel import clock
from saraban.kernel.actions import atomic
from saraban.kernel.errors import SarabanError
from saraban.letters.models import Letter
from saraban.storage import blobs

from .. import actions, build, cades, codes, crypto_box, directory, envelope, local, transport, wire
from .. import node as node_mod
from ..models import Dispatch, OutboxMessage, Participant
from . import claim, due_ids, next_delay, wake

log = logging.getLogger(__name__)


def _recipient_cert_sha(p: Participant) -> str:
    cert = directory.encryption_cert(p)
    return node_mod.cert_sha256(cert) if cert is not None else ""


def _letter_payload(msg: OutboxMessage, node: node_mod.NodeConfig) -> tuple[bytes, bool]:
    """The package for this message: shared with the other recipients of the batch, encrypted if classified."""
    sibling = (OutboxMessage.objects.filter(batch=msg.batch, kind="letter", payload__isnull=False, secrecy="normal")
               .exclude(pk=msg.pk).select_related("payload", "dispatch").first())
    if sibling is not None and msg.secrecy == "normal":
        return blobs.read(sibling.payload), bool(sibling.dispatch and sibling.dispatch.signed)
    d: Dispatch = msg.dispatch  # type: ignore[assignment]
    letter = Letter.objects.select_related("agency", "unit").get(pk=d.letter_id)
    batch = list(Dispatch.objects.filter(batch=msg.batch, channel="sbx").order_by("queued_at"))
    data, signed = build.letter_package(letter, batch, node.seal_for(msg.sender_code), node.timestamper())
    if msg.secrecy != "normal":
        cert = directory.encryption_cert(directory.participant(msg.recipient_code))
        if cert is None:
            raise SarabanError("ผู้รับไม่มีใบรับรองสำหรับเข้ารหัส", "The recipient has no encryption certificate",
                               code="no_encryption_cert")
        data = crypto_box.encrypt(data, cert)
    return data, signed


def ensure_built(msg: OutboxMessage) -> OutboxMessage:
    """Build and store the envelope (and payload) on the first attempt; later attempts reuse them."""
    if msg.envelope is not None:
        return msg
    node = node_mod.load()
    recipient = directory.participant(msg.recipient_code)
    sender = directory.participant(msg.sender_code)
    payload_meta = None
    payload_data: bytes | None = None
    signed = False
    if msg.kind == "letter":
        payload_data, signed = _letter_payload(msg, node)
        encrypted = msg.secrecy != "normal"
        payload_meta = {"media_type": codes.PACKAGE_TYPE, "size": len(payload_data),
                        "sha256": hashlib.sha256(payload_data).hexdigest(), "encrypted": encrypted,
                        "encrypted_for_cert_sha256": _recipient_cert_sha(recipient) if encrypted else None}
    env = envelope.build(
        message_id=msg.message_id, kind=msg.kind, signal=msg.signal or None, letter_uuid=msg.letter_uuid,
        in_reply_to=msg.in_reply_to, sender_org=sender.org, recipient_org=recipient.org, urgency=msg.urgency,
        secrecy=msg.secrecy, created_at=msg.created_at, expires_at=msg.expires_at, payload=payload_meta,
        business=msg.business or None,
    )
    sig = cades.sign(env, node.seal_for(msg.sender_code), node.timestamper())
    with atomic():
        blob = blobs.put(payload_data, codes.PACKAGE_TYPE) if payload_data is not None else None
        n = OutboxMessage.objects.filter(pk=msg.pk, envelope__isnull=True).update(
            envelope=env, envelope_sig=sig, envelope_sha256=hashlib.sha256(env).hexdigest(), payload=blob,
            payload_sha256=blob.sha256 if blob else "")
        if n and msg.dispatch_id and signed:
            Dispatch.objects.filter(pk=msg.dispatch_id).update(signed=True)
    return OutboxMessage.objects.select_related("dispatch", "payload").get(pk=msg.pk)


def _wire_message(msg: OutboxMessage) -> wire.Message:
    payload = blobs.read(msg.payload) if msg.payload_id else None
    ptype = codes.ENCRYPTED_TYPE if msg.secrecy != "normal" and payload is not None else codes.PACKAGE_TYPE
    return wire.Message(bytes(msg.envelope), bytes(msg.envelope_sig), payload, ptype)


def route(msg: OutboxMessage) -> transport.Route:
    """``local`` (hosted here, or a mailbox kept here) or ``https`` (url, expected server certificates)."""
    p = directory.participant(msg.recipient_code)
    if local.served_here(msg.recipient_code) or local.mailbox_here(p):
        return transport.Route("local")
    target = p
    if not p.endpoint and p.via:
        target = Participant.objects.get(org=p.via)
    if not target.endpoint:
        raise transport.SendFailed("NO_ROUTE", f"{p.code} has no SBX endpoint", retry=False)
    return transport.Route("https", target.endpoint.rstrip("/") + "/messages", tuple(target.tls_cert_sha256))


def _check_receipt(msg: OutboxMessage, answer: transport.Answer) -> tuple[str, dt.datetime]:
    node = node_mod.load()
    recipient = directory.participant(msg.recipient_code)
    signer = recipient if recipient.seal_certs or not recipient.via else Participant.objects.get(org=recipient.via)
    allowed = directory.seal_fingerprints(signer)
    if recipient.via:
        allowed |= directory.seal_fingerprints(Participant.objects.get(org=recipient.via))
    try:
        env = envelope.parse(answer.envelope)
        cades.verify(answer.envelope, answer.signature, trust=node.trust, allowed_sha256=allowed)
    except (SarabanError, cades.CmsInvalid) as exc:
        raise transport.SendFailed("RECEIPT_INVALID", f"receipt not valid: {exc}", retry=True) from exc
    ev = env.evidence
    if (env.signal != "delivered" or env.in_reply_to != msg.message_id or ev is None
            or ev.envelope_sha256 != msg.envelope_sha256 or (ev.payload_sha256 or "") != msg.payload_sha256):
        raise transport.SendFailed("RECEIPT_INVALID", "the receipt does not match what was sent", retry=True)
    return ev.receipt_id, ev.received_at


def deliver(pk: Any) -> str:
    """One attempt at one message (if it is due and nobody else holds it); returns what happened."""
    msg = claim(pk)
    if msg is None:
        return "not-due"
    if clock.now() >= msg.expires_at:
        actions.record_failed(msg, code="EXPIRED", detail=msg.last_error or "not delivered before it expired")
        return "failed"
    try:
        msg = ensure_built(msg)
        to = route(msg)
        msg.route = to.kind  # stored with the result
        answer = transport.current().send(to, _wire_message(msg))
        receipt_id, received_at = _check_receipt(msg, answer)
    except transport.SendFailed as exc:
        return _failed(msg, exc.code, exc.detail, retry=exc.retry)
    except SarabanError as exc:  # e.g. our seal or the directory entry is missing: may be fixed, so retry
        return _failed(msg, exc.code, exc.message_en, retry=True)
    except Exception as exc:  # a bug or an outage on our side: keep the message, try again later
        log.exception("sending %s failed", msg.message_id)
        return _failed(msg, "INTERNAL", f"{type(exc).__name__}: {exc}", retry=True)
    actions.record_delivered(msg, receipt_envelope=answer.envelope, receipt_sig=answer.signature,
                             receipt_id=receipt_id, received_at=received_at, duplicate=answer.status == 200)
    return "delivered"


def _failed(msg: OutboxMessage, code: str, detail: str, *, retry: bool) -> str:
    log.info("sbx %s to %s: attempt %s failed: %s %s", msg.message_id, msg.recipient_code, msg.attempts, code, detail)
    if not retry:
        actions.record_failed(msg, code=code, detail=detail)
        return "failed"
    next_at = clock.now() + dt.timedelta(seconds=next_delay(msg.attempts))
    if next_at >= msg.expires_at:
        next_at = msg.expires_at
    actions.record_attempt_failed(msg, code=code, detail=detail, next_at=next_at)
    wake("deliver", str(msg.pk), at=next_at)
    return "retry"


def deliver_due(limit: int = 32) -> dict[str, int]:
    """Run every due message once (CLI ``saraban sbx outbox run``, tests)."""
    counts: dict[str, int] = {}
    for pk in due_ids(limit):
        result = deliver(pk)
        counts[result] = counts.get(result, 0) + 1
    return counts
