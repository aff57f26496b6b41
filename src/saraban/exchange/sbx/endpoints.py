"""What the SBX endpoint answers (synchronous; called from the exchange process's threads).

Each function returns ``(HTTP status, content type, body)``.  Errors are ``application/problem+json`` with
the coded errors of exchange.md §5.8 and ``retry`` telling the sender whether to try again.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from saraban.kernel.errors import SarabanError

from .. import cades, inbox, local, schemas, wire
from .. import node as node_mod
from ..errors import NotFoundOnWire, SbxError, SenderNotAuthenticated, SizeLimitExceeded
from ..models import InboundMessage, OutboxMessage, Participant

log = logging.getLogger(__name__)
Result = tuple[int, str, bytes]
PROBLEM = "application/problem+json"


def max_request_bytes() -> int:
    return inbox.max_message_bytes() + 64 * 1024


def _problem(exc: SbxError, message_id: str = "") -> Result:
    return exc.status, PROBLEM, json.dumps(exc.problem(message_id), ensure_ascii=False).encode()


def _json(data: Any, status: int = 200) -> Result:
    return status, "application/json", json.dumps(data, ensure_ascii=False, default=str).encode()


def too_large() -> Result:
    return _problem(SizeLimitExceeded(details={"max": inbox.max_message_bytes()}))


def post_message(content_type: str, body: bytes, peer: str) -> Result:
    message_id = ""
    try:
        if not peer:
            raise SenderNotAuthenticated()
        msg = wire.decode_message(content_type, body)
        try:
            message_id = str(json.loads(msg.envelope).get("message_id", ""))[:64]
        except (ValueError, AttributeError):
            message_id = ""
        r = inbox.receive_message(msg.envelope, msg.signature, msg.payload, peer_sha256=peer, route="https",
                                  payload_type=msg.payload_type)
    except SbxError as exc:
        return _problem(exc, message_id)
    except SarabanError as exc:  # e.g. not configured
        log.warning("sbx receive: %s", exc)
        return _problem(SbxError(exc.message_th, exc.message_en, code="UNAVAILABLE", status=503), message_id)
    except Exception:
        log.exception("sbx receive failed")
        err = SbxError("เกิดข้อผิดพลาดภายในระบบปลายทาง", "Internal error at the receiver", code="INTERNAL", status=500)
        err.retry = True
        return _problem(err, message_id)
    ctype, out = wire.encode([wire.Part("application/vnd.sbx.envelope+json", r.envelope),
                              wire.Part("application/pkcs7-signature", r.signature)])
    return r.status, ctype, out


def _participant_of(peer: str) -> Participant:
    if not peer:
        raise SenderNotAuthenticated()
    for p in Participant.objects.exclude(tls_cert_sha256=[]):
        if peer in (p.tls_cert_sha256 or []):
            return p
    raise SenderNotAuthenticated()


def _orgs_of(peer: str) -> set[str]:
    """Every participant whose systems use this TLS certificate (one node may host several agencies)."""
    _participant_of(peer)
    return {p.org for p in Participant.objects.all() if peer in (p.tls_cert_sha256 or [])}


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise NotFoundOnWire() from exc


def get_receipt(mid: str, peer: str) -> Result:
    """The signed receipt again (idempotent), for a sender that lost the answer."""
    try:
        orgs = _orgs_of(peer)
        m = InboundMessage.objects.filter(message_id=_uuid(mid), sender_org__in=orgs).first()
        if m is None:
            raise NotFoundOnWire(details={"message_id": mid})
    except SbxError as exc:
        return _problem(exc, mid)
    ctype, out = wire.encode([wire.Part("application/vnd.sbx.envelope+json", bytes(m.receipt_envelope)),
                              wire.Part("application/pkcs7-signature", bytes(m.receipt_sig))])
    return 200, ctype, out


def get_status(mid: str, peer: str) -> Result:
    """Reconciliation: what became of a message the caller sent us (cf. e-CMS OutboundStatusRequest)."""
    try:
        orgs = _orgs_of(peer)
        m = InboundMessage.objects.filter(message_id=_uuid(mid), sender_org__in=orgs).first()
        if m is None:
            raise NotFoundOnWire(details={"message_id": mid})
    except SbxError as exc:
        return _problem(exc, mid)
    state = "accepted"
    item_status = None
    if m.intake_item_id:
        from saraban.intake.models import IntakeItem

        item_status = IntakeItem.objects.filter(pk=m.intake_item_id).values_list("status", flat=True).first()
        state = {"registered": "registered", "rejected": "rejected"}.get(item_status or "", "queued_for_registration")
    answers = list(OutboxMessage.objects.filter(in_reply_to=m.message_id, kind="signal")
                   .values("message_id", "signal", "status", "created_at"))
    return _json({"message_id": str(m.message_id), "receipt_id": m.receipt_id, "received_at": m.received_at,
                  "state": state, "withdrawn": m.withdrawn_at is not None, "signals": answers})


def mailbox_list(peer: str, cursor: str, limit: str) -> Result:
    """Pull mode: messages held for the caller (a participant whose directory entry names us as ``via``)."""
    try:
        p = _participant_of(peer)
        if not local.mailbox_here(p):
            raise SenderNotAuthenticated("ไม่มีกล่องรับหนังสือของท่านที่ระบบนี้", "No mailbox for you here")
        n = max(1, min(int(limit or 50), 200))
    except ValueError:
        n = 50
    except SbxError as exc:
        return _problem(exc)
    qs = InboundMessage.objects.filter(mailbox=True, recipient_code=p.code, mailbox_acked_at__isnull=True)
    if cursor:
        qs = qs.filter(received_at__gt=InboundMessage.objects.filter(message_id=_safe_uuid(cursor))
                       .values("received_at")[:1])
    rows = list(qs.order_by("received_at")[:n])
    items = [{"message_id": str(m.message_id), "sender": m.sender_org, "kind": m.kind, "signal": m.signal,
              "received_at": m.received_at, "url": f"/sbx/v1/mailbox/{m.message_id}"} for m in rows]
    return _json({"items": items, "cursor": items[-1]["message_id"] if items else cursor})


def _safe_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _mail_for(mid: str, peer: str) -> InboundMessage:
    p = _participant_of(peer)
    m = InboundMessage.objects.select_related("payload").filter(message_id=_uuid(mid), mailbox=True,
                                                               recipient_code=p.code).first()
    if m is None:
        raise NotFoundOnWire(details={"message_id": mid})
    return m


def mailbox_get(mid: str, peer: str) -> Result:
    """One held message, exactly as it was pushed to us (envelope, signature, payload)."""
    from saraban.storage import blobs

    try:
        m = _mail_for(mid, peer)
    except SbxError as exc:
        return _problem(exc, mid)
    payload = blobs.read(m.payload) if m.payload_id else None
    ptype = "application/pkcs7-mime; smime-type=enveloped-data" if m.secrecy != "normal" else \
        "application/vnd.etsi.asic-e+zip"
    ctype, out = wire.encode_message(wire.Message(bytes(m.envelope), bytes(m.envelope_sig), payload, ptype))
    return 200, ctype, out


def mailbox_ack(mid: str, peer: str) -> Result:
    from ..actions import mailbox_ack as ack

    try:
        m = _mail_for(mid, peer)
    except SbxError as exc:
        return _problem(exc, mid)
    ack(m, _participant_of(peer).code)
    return _json({"message_id": mid, "acked": True})


def well_known_document() -> bytes:
    """This node's own directory entries and capabilities (what a directory crawler needs)."""
    node = node_mod.load()
    entries = [p.entry for p in Participant.objects.filter(code__in=list(node.agencies)).order_by("code")]
    doc = {
        "spec": "sbx-wellknown/1.0", "node": node.name, "endpoint": node.endpoint, "protocols": ["sbx/1.0"],
        "capabilities": {"push": True, "mailbox": True, "receipt": True, "status": True,
                         "encryption": "cms-enveloped-data/aes256-cbc/rsa",
                         "max_message_bytes": inbox.max_message_bytes(),
                         "schemas": ["/sbx/v1/schemas/envelope.json", "/sbx/v1/schemas/letter.json"]},
        "tls_cert_sha256": [node.server_sha256, node.client_sha256],
        "signed_by": sorted(node.agencies)[0] if node.agencies else None,
        "entries": entries,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True).encode()


def well_known() -> Result:
    try:
        return 200, "application/json", well_known_document()
    except SarabanError as exc:
        return _problem(SbxError(exc.message_th, exc.message_en, code="UNAVAILABLE", status=503))


def well_known_signature() -> Result:
    """A CAdES detached signature over ``/.well-known/sbx`` by the seal named in its ``signed_by``."""
    try:
        node = node_mod.load()
        doc = well_known_document()
        code = json.loads(doc)["signed_by"]
        sig = cades.sign(doc, node.seal_for(code), node.timestamper())
    except SarabanError as exc:
        return _problem(SbxError(exc.message_th, exc.message_en, code="UNAVAILABLE", status=503))
    return 200, "application/pkcs7-signature", sig


def schema(name: str) -> Result:
    try:
        return _json(schemas.published(name))
    except KeyError:
        return _problem(NotFoundOnWire())
