"""Every state change of the exchange: one transaction, one audit event each."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from saraban.access.principal import principal_for
from saraban.audit import log as audit
from saraban.kernel import clock, wakeup
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.errors import InvalidInput, PermissionDenied
from saraban.kernel.ids import uuid7
from saraban.kernel.models import Secrecy
from saraban.letters import records
from saraban.letters.models import Direction, Letter, LetterStatus
from saraban.registry import policy as registry_policy
from saraban.registry.models import RegisterEntry
from saraban.storage import blobs

from . import channels, codes, directory, local, outbox, policy, signals
from .build import default_ttl, letter_file
from .errors import NotLinked, NotSendable, TopSecretNeverSent, WrongState
from .heartbeat import sender_alive
from .models import (
    DirectoryVersion,
    Dispatch,
    DispatchChannel,
    DispatchStatus,
    InboundMessage,
    OutboxMessage,
    OutboxStatus,
    Participant,
)

ACTIVE = (DispatchStatus.QUEUED, DispatchStatus.DELIVERED, DispatchStatus.REGISTERED)


def check_sendable(actor: Actor, letter: Letter) -> None:
    """Refuse, with a coded reason, a letter that may not go out (or not by this actor)."""
    if letter.secrecy == Secrecy.TOP_SECRET:
        raise TopSecretNeverSent()
    if letter.status == LetterStatus.CANCELLED:
        raise NotSendable("หนังสือนี้ถูกยกเลิกแล้ว ส่งไม่ได้", "This letter was cancelled and cannot be sent",
                          code="letter_cancelled")
    if letter.direction != Direction.OUTGOING or letter.status != LetterStatus.REGISTERED:
        raise NotSendable("ส่งได้เฉพาะหนังสือส่งที่ออกเลขแล้วและไม่ถูกยกเลิก",
                          "Only outgoing letters with an issued, uncancelled number can be sent")
    if not RegisterEntry.objects.filter(letter=letter, cancelled=False).exists():
        raise NotSendable("หนังสือนี้ยังไม่ได้ออกเลข", "This letter has no issued number", code="letter_not_numbered")
    if letter_file(letter) is None:
        raise NotSendable("หนังสือนี้ยังไม่ได้ลงนามหรือยังไม่ได้แนบไฟล์หนังสือที่ลงนามแล้ว จึงส่งไม่ได้",
                          "This letter is not signed yet (no signed file attached), so it cannot be sent",
                          code="letter_not_signed")
    if not policy.can_dispatch(principal_for(actor), letter):
        raise PermissionDenied("ท่านไม่มีสิทธิ์ส่งหนังสือนี้", "You may not send this letter")


def _channel_for(p: Participant, letter: Letter) -> str:
    """The first channel in the recipient's directory entry that can carry this letter now (R36)."""
    sbx_ok = bool(p.endpoint or p.via or local.served_here(p.code)) and directory.in_force(p)
    refused_classified = False
    for channel in p.channels:
        if channel == "sbx" and sbx_ok:
            if letter.secrecy != Secrecy.NORMAL and not p.encryption_cert:
                raise NotSendable(f"{p.name_th} ไม่มีใบรับรองสำหรับเข้ารหัส จึงรับหนังสือชั้นความลับทางระบบไม่ได้",
                                  f"{p.code} has no encryption certificate for classified letters",
                                  details={"recipient": p.code})
            return DispatchChannel.SBX
        if channel == "email" and p.email and channels.installed("email"):
            if letter.secrecy != Secrecy.NORMAL:  # ลับ/ลับมาก never by plain e-mail
                refused_classified = True
                continue
            return DispatchChannel.EMAIL
    if refused_classified:
        raise NotSendable("หนังสือชั้นลับหรือลับมากส่งทางไปรษณีย์อิเล็กทรอนิกส์ธรรมดาไม่ได้ และผู้รับยังไม่เชื่อมโยงระบบ",
                          "ลับ/ลับมาก letters never travel by plain e-mail, and the recipient has no linked system",
                          code="classified_by_email", details={"recipient": p.code})
    raise NotLinked(details={"recipient": p.code, "email": p.email})


@action("exchange.dispatch")
def dispatch(actor: Actor, letter: Letter, recipients: list[str], *, ttl: dt.timedelta | None = None) -> list[Dispatch]:
    """Send an issued letter to each recipient by the channel its directory entry names (SBX, else e-mail):
    one dispatch each, with its outbox row (SBX) or e-mail (the mail gateway), in this transaction."""
    codes_ = recipient_codes(recipients)
    letter = Letter.objects.select_related("agency", "unit").get(pk=letter.pk)
    check_sendable(actor, letter)
    chosen = check_recipients(letter, codes_, ttl)
    out, batch, expires = schedule_dispatches(actor, letter, chosen, ttl)
    records.mark_sent(letter)
    audit.record("exchange.dispatch", actor=actor, obj=letter, data={
        "letter": str(letter.pk), "batch": str(batch), "recipients": [p.code for p, _ in chosen],
        "channels": {p.code: ch for p, ch in chosen}, "expires_at": expires,
        "messages": [str(d.message.message_id) if d.channel == DispatchChannel.SBX else d.evidence for d in out],
    })
    return out


def recipient_codes(recipients: list[str]) -> list[str]:
    codes_ = list(dict.fromkeys(r.strip() for r in recipients if r and r.strip()))
    if not codes_:
        raise InvalidInput("ต้องระบุหน่วยงานผู้รับอย่างน้อยหนึ่งหน่วยงาน", "Name at least one recipient",
                           code="recipients_required")
    return codes_


def check_recipients(letter: Letter, codes_: list[str], ttl: dt.timedelta | None, *,
                     sbx_only: bool = False) -> list[tuple[Participant, str]]:
    """Each recipient with the channel that carries the letter to it, not sent it already (``sbx_only``: a
    recipient reachable only by e-mail is refused)."""
    if ttl is not None and not dt.timedelta(seconds=1) <= ttl <= dt.timedelta(days=30):
        raise InvalidInput("ระยะเวลาพยายามส่งต้องอยู่ระหว่าง 1 วินาทีถึง 30 วัน", "ttl must be 1 second to 30 days",
                           code="invalid_ttl")
    chosen: list[tuple[Participant, str]] = []
    for code in codes_:
        p = directory.participant(code)
        if code == letter.agency.code:
            raise InvalidInput("ส่งถึงหน่วยงานของตนเองไม่ได้", "A letter cannot be sent to its own agency",
                               code="recipient_is_sender")
        channel = _channel_for(p, letter)
        if sbx_only and channel != DispatchChannel.SBX:
            raise NotLinked(details={"recipient": code, "email": p.email})
        if Dispatch.objects.filter(letter=letter, recipient_code=code, channel=channel,
                                   status__in=(*ACTIVE, DispatchStatus.SENT)).exists():
            raise WrongState(f"ส่งหนังสือนี้ถึง {p.name_th} แล้ว", f"This letter was already sent to {code}",
                             code="already_sent", details={"recipient": code})
        chosen.append((p, channel))
    return chosen


def schedule_dispatches(actor: Actor, letter: Letter, chosen: list[tuple[Participant, str]],
                        ttl: dt.timedelta | None, **fields: Any) -> tuple[list[Dispatch], uuid.UUID, dt.datetime]:
    """One dispatch per recipient, one batch (one package); its outbox row (SBX) or e-mail (the mail
    gateway).  ``fields``: more dispatch columns (a forward's)."""
    now = clock.now()
    expires = now + (ttl or default_ttl(letter.urgency))
    batch = uuid7()
    out: list[Dispatch] = []
    for p, channel in chosen:
        d = Dispatch.objects.create(
            letter=letter, agency=letter.agency, batch=batch, recipient_code=p.code, recipient_org=p.org,
            recipient_name=p.name_th, channel=channel, queued_at=now, status_at=now, created_by=actor, **fields,
        )
        if channel == DispatchChannel.SBX:
            outbox.schedule(kind="letter", sender_code=letter.agency.code, recipient_code=p.code,
                            letter_uuid=letter.letter_uuid, expires_at=expires, created_at=now, dispatch=d,
                            batch=batch, urgency=letter.urgency, secrecy=letter.secrecy)
        else:
            channels.schedule(channel, d, letter, p, expires_at=expires, actor=actor)
        out.append(d)
    return out, batch, expires


# ---- the outbox worker's results ------------------------------------------------------------------------

@action("exchange.delivered")
def record_delivered(msg: OutboxMessage, *, receipt_envelope: bytes, receipt_sig: bytes, receipt_id: str,
                     received_at: dt.datetime, duplicate: bool) -> None:
    now = clock.now()
    OutboxMessage.objects.filter(pk=msg.pk).update(
        status=OutboxStatus.DELIVERED, receipt_envelope=receipt_envelope, receipt_sig=receipt_sig,
        receipt_id=receipt_id, delivered_at=now, lease_until=None, last_error_code="", last_error="", route=msg.route,
    )
    if msg.dispatch_id:
        Dispatch.objects.filter(pk=msg.dispatch_id).update(receipt_id=receipt_id)
        Dispatch.objects.filter(pk=msg.dispatch_id, delivered_at__isnull=True).update(delivered_at=received_at)
        Dispatch.objects.filter(pk=msg.dispatch_id, status__in=[DispatchStatus.QUEUED, DispatchStatus.FAILED]).update(
            status=DispatchStatus.DELIVERED, status_at=now)
    audit.record("exchange.delivered", obj=msg, data={
        "message_id": str(msg.message_id), "kind": msg.kind, "signal": msg.signal, "to": msg.recipient_code,
        "receipt_id": receipt_id, "attempts": msg.attempts, "route": msg.route, "repeat": duplicate,
    })


@action("exchange.attempt_failed")
def record_attempt_failed(msg: OutboxMessage, *, code: str, detail: str, next_at: dt.datetime) -> None:
    OutboxMessage.objects.filter(pk=msg.pk).update(
        next_attempt_at=next_at, lease_until=None, last_error_code=code[:64], last_error=detail[:1000], route=msg.route,
    )
    audit.record("exchange.attempt_failed", obj=msg, data={
        "message_id": str(msg.message_id), "to": msg.recipient_code, "attempt": msg.attempts, "code": code,
        "detail": detail[:300], "next_attempt_at": next_at,
    })


@action("exchange.failed")
def record_failed(msg: OutboxMessage, *, code: str, detail: str) -> None:
    """Delivery gave up (expired, or a final error): the dispatch is ``failed`` and the fallback is offered."""
    now = clock.now()
    OutboxMessage.objects.filter(pk=msg.pk).update(status=OutboxStatus.FAILED, lease_until=None,
                                                   last_error_code=code[:64], last_error=detail[:1000])
    if msg.dispatch_id:
        d = Dispatch.objects.get(pk=msg.dispatch_id)
        if signals.may_move(d.status, DispatchStatus.FAILED):
            d.status, d.status_at = DispatchStatus.FAILED, now
            d.reason_code, d.reason_text = code[:64], detail[:1000]
            d.save()
    audit.record("exchange.failed", obj=msg, data={
        "message_id": str(msg.message_id), "kind": msg.kind, "signal": msg.signal, "to": msg.recipient_code,
        "code": code, "detail": detail[:300], "attempts": msg.attempts,
    })


# ---- receiving --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Accepted:
    envelope: bytes
    envelope_sha256: str
    signature: bytes
    payload: bytes | None
    payload_sha256: str
    package: bytes | None
    kind: str
    signal: str
    message_id: uuid.UUID
    letter_uuid: uuid.UUID
    in_reply_to: uuid.UUID | None
    sender_org: str
    sender_code: str
    recipient_code: str
    urgency: str
    secrecy: str
    business: dict[str, Any]
    verification: dict[str, Any]
    route: str
    peer_sha256: str
    mailbox: bool
    receipt: Any  # callable(received_at, receipt_id) -> (envelope bytes, signature bytes)


@action("exchange.receive")
def accept(a: Accepted) -> InboundMessage:
    """Store a verified message with its receipt (one commit); queue the hand-over to the intake queue."""
    now = clock.now()
    receipt_id = f"rcpt-{uuid7()}"
    receipt_env, receipt_sig = a.receipt(now, receipt_id)
    classified = a.secrecy != Secrecy.NORMAL
    payload = blobs.put(a.payload, "application/octet-stream") if a.payload is not None else None
    pkg = blobs.put(a.package, codes.PACKAGE_TYPE, encrypted=True) if (a.package is not None and classified) else None
    m = InboundMessage.objects.create(
        sender_org=a.sender_org, sender_code=a.sender_code, message_id=a.message_id, recipient_code=a.recipient_code,
        kind=a.kind, signal=a.signal, letter_uuid=a.letter_uuid, in_reply_to=a.in_reply_to, urgency=a.urgency,
        secrecy=a.secrecy, envelope=a.envelope, envelope_sig=a.signature, envelope_sha256=a.envelope_sha256,
        payload=payload, package=pkg, payload_sha256=a.payload_sha256, received_at=now, route=a.route,
        peer_sha256=a.peer_sha256, receipt_id=receipt_id, receipt_envelope=receipt_env, receipt_sig=receipt_sig,
        verification=a.verification, business=a.business, mailbox=a.mailbox,
    )
    effect = ""
    if a.kind == "signal":
        effect = signals.apply(m)
    elif not a.mailbox:
        if sender_alive():  # the exchange process's loop hands it over
            wakeup.poke_on_commit(wakeup.SBX)
        else:
            outbox.wake("hand_over", str(m.pk))
    audit.record("exchange.receive", obj=m, data={
        "message_id": str(a.message_id), "from": a.sender_code, "to": a.recipient_code, "kind": a.kind,
        "signal": a.signal, "receipt_id": receipt_id, "envelope_sha256": a.envelope_sha256,
        "payload_sha256": a.payload_sha256, "route": a.route, "effect": effect, "mailbox": a.mailbox,
    })
    return m


@action("exchange.hand_over")
def record_hand_over(inbound: InboundMessage, *, item_id: uuid.UUID | None, letter_report: dict[str, Any],
                     rejected: tuple[str, str] | None = None) -> None:
    """The received letter reached the intake queue (or could not: then it is returned with a reason)."""
    m = InboundMessage.objects.select_for_update().get(pk=inbound.pk)
    if m.handed_over_at is not None:
        audit.record("exchange.hand_over", obj=m, data={"repeat": True})
        return
    verification = {**m.verification, "letter": letter_report}
    InboundMessage.objects.filter(pk=m.pk).update(intake_item_id=item_id, handed_over_at=clock.now(),
                                                  verification=verification)
    if rejected is not None:
        signals.answer(m, "rejected", {"reason_code": rejected[0], "reason_text": rejected[1]})
    audit.record("exchange.hand_over", obj=m, data={
        "message_id": str(m.message_id), "intake_item": str(item_id) if item_id else None,
        "letter_valid": letter_report.get("valid"), "rejected": rejected[0] if rejected else None,
    })


# ---- what people do after sending or receiving ------------------------------------------------------------

def _dispatch_for(actor: Actor, dispatch: Dispatch) -> Dispatch:
    d = Dispatch.objects.select_related("letter", "message").get(pk=dispatch.pk)
    if not policy.can_dispatch(principal_for(actor), d.letter):
        raise PermissionDenied("ท่านไม่มีสิทธิ์ดำเนินการกับการส่งหนังสือนี้", "You may not act on this dispatch")
    return d


def _reason(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise InvalidInput("ต้องระบุเหตุผล", "A reason is required", code="reason_required")
    return text[:1000]


@action("exchange.withdraw")
def withdraw(actor: Actor, dispatch: Dispatch, reason: str) -> Dispatch:
    """Recall a sent letter (to send a corrected version): the recipient is told by a ``withdrawn`` signal."""
    d = _dispatch_for(actor, dispatch)
    text = _reason(reason)
    if d.channel != DispatchChannel.SBX or d.status in (DispatchStatus.WITHDRAWN, DispatchStatus.REJECTED):
        raise WrongState()
    OutboxMessage.objects.filter(pk=d.message.pk, status=OutboxStatus.PENDING).update(  # type: ignore[attr-defined]
        status=OutboxStatus.FAILED, last_error_code="WITHDRAWN", lease_until=None)
    if d.status != DispatchStatus.QUEUED:
        signals.about_dispatch(d, "withdrawn", {"reason_text": text})
    d.status, d.status_at, d.reason_code, d.reason_text = DispatchStatus.WITHDRAWN, clock.now(), "WITHDRAWN", text
    d.save()
    audit.record("exchange.withdraw", actor=actor, obj=d, data=audit.withhold(
        {"letter": str(d.letter_id), "to": d.recipient_code, "reason": text}, classified=d.letter.is_classified))
    return d


@action("exchange.dispute_registration")
def dispute_registration(actor: Actor, dispatch: Dispatch, reason: str) -> Dispatch:
    """Tell the recipient that the registration number it reported is wrong (``registration_invalid``)."""
    d = _dispatch_for(actor, dispatch)
    text = _reason(reason)
    if d.status != DispatchStatus.REGISTERED:
        raise WrongState("แจ้งเลขรับผิดได้เฉพาะเมื่อปลายทางแจ้งเลขรับแล้ว", "Only a reported registration can be disputed")
    signals.about_dispatch(d, "registration_invalid", {
        "registration_no": d.registration_no, "registration_display": d.registration_display, "reason_text": text})
    Dispatch.objects.filter(pk=d.pk).update(registration_disputed=True)
    d.registration_disputed = True
    audit.record("exchange.dispute_registration", actor=actor, obj=d, data=audit.withhold(
        {"to": d.recipient_code, "reason": text}, classified=d.letter.is_classified))
    return d


@action("exchange.report_invalid")
def report_invalid(actor: Actor, letter: Letter, reason_code: str, reason: str) -> InboundMessage:
    """The recipient tells the sender that a letter it received is wrong (``invalid``, e-CMS InvalidLetter)."""
    text = _reason(reason)
    if reason_code not in codes.REASONS:
        raise InvalidInput("รหัสเหตุผลไม่ถูกต้อง", "Unknown reason code", code="invalid_reason_code")
    if not registry_policy.can_register_in(principal_for(actor), letter.unit_id, letter.secrecy):
        raise PermissionDenied()
    m = InboundMessage.objects.filter(kind="letter", letter_uuid=letter.letter_uuid,
                                      recipient_code=letter.agency.code).order_by("-received_at").first()
    if m is None:
        raise NotSendable("หนังสือนี้ไม่ได้รับมาทางระบบ", "This letter did not arrive by SBX")
    signals.answer(m, "invalid", {"reason_code": reason_code, "reason_text": text})
    audit.record("exchange.report_invalid", actor=actor, obj=m, data=audit.withhold(
        {"letter": str(letter.pk), "reason_code": reason_code, "reason": text}, classified=letter.is_classified))
    return m


@action("exchange.record_fallback")
def record_fallback(actor: Actor, dispatch: Dispatch, channel: str, evidence: str) -> Dispatch:
    """Record that a letter that could not go electronically was sent by e-mail, post or messenger (R36)."""
    d = _dispatch_for(actor, dispatch)
    if channel not in (DispatchChannel.EMAIL, DispatchChannel.POST, DispatchChannel.MESSENGER):
        raise InvalidInput("ช่องทางไม่ถูกต้อง", "Unknown channel", code="invalid_channel")
    if d.status not in (DispatchStatus.FAILED, DispatchStatus.REJECTED):
        raise WrongState("บันทึกการส่งทางอื่นได้เมื่อส่งทางระบบไม่สำเร็จ", "Fallback is for failed deliveries")
    now = clock.now()
    fb = Dispatch.objects.create(
        letter=d.letter, agency=d.agency, batch=d.batch, recipient_code=d.recipient_code, recipient_org=d.recipient_org,
        recipient_name=d.recipient_name, channel=channel, status=DispatchStatus.SENT, queued_at=now, status_at=now,
        delivered_at=now, evidence=" ".join((evidence or "").split())[:500], fallback_of=d, created_by=actor,
    )
    audit.record("exchange.record_fallback", actor=actor, obj=fb, data={
        "letter": str(d.letter_id), "to": d.recipient_code, "channel": channel, "evidence": fb.evidence})
    return fb


# ---- directory ----------------------------------------------------------------------------------------

@action("exchange.load_directory")
def load_directory(actor: Actor, fetched: directory.Fetched, doc: dict[str, Any]) -> DirectoryVersion:
    """Keep a verified directory version and make its entries the participants (newer serials only)."""
    serial = int(doc["serial"])
    held = directory.current()
    if held is not None and serial < held.serial:
        raise directory.DirectoryInvalid(
            f"สมุดรายชื่อฉบับที่ {serial} เก่ากว่าฉบับที่ใช้อยู่ ({held.serial})",
            f"Directory serial {serial} is older than the one held ({held.serial})")
    now = clock.now()
    version = DirectoryVersion.objects.filter(serial=serial).first()
    if version is None:
        version = DirectoryVersion.objects.create(
            serial=serial, issued_at=dt.datetime.fromisoformat(doc["issued_at"]),
            expires_at=dt.datetime.fromisoformat(doc["expires_at"]), source=fetched.source[:1000],
            sha256=blobs.sha256_hex(fetched.document), document=fetched.document, signature=fetched.signature,
            signer=doc.get("_signer", "")[:500], entries=len(doc["entries"]), loaded_at=now)
    else:
        DirectoryVersion.objects.filter(pk=version.pk).update(loaded_at=now)
    codes_ = []
    for entry in doc["entries"]:
        fields = directory.participant_fields(entry, serial)
        Participant.objects.update_or_create(code=entry["code"], defaults=fields)
        codes_.append(entry["code"])
    Participant.objects.exclude(code__in=codes_).delete()
    directory.forget()
    audit.record("exchange.load_directory", actor=actor, obj=version, data={
        "serial": serial, "source": fetched.source, "entries": len(codes_), "sha256": version.sha256})
    return version


@action("exchange.mailbox_ack")
def mailbox_ack(inbound: InboundMessage, puller: str) -> None:
    """A participant that pulls its mail acknowledged a message after committing it on its side."""
    InboundMessage.objects.filter(pk=inbound.pk, mailbox_acked_at__isnull=True).update(mailbox_acked_at=clock.now())
    audit.record("exchange.mailbox_ack", obj=inbound, data={"message_id": str(inbound.message_id), "by": puller})


@action("exchange.set_hosting")
def set_hosting(actor: Actor, codes: list[str]) -> int:
    """Mark which agencies this deployment hosts (the others are known by name and reached by SBX)."""
    from saraban.orgs import cache as org_cache
    from saraban.orgs.models import Agency

    hosted = Agency.objects.filter(code__in=codes).update(hosted=True)
    Agency.objects.exclude(code__in=codes).update(hosted=False)
    org_cache.forget()
    audit.record("exchange.set_hosting", actor=actor, object_type="orgs.agency", data={"hosted": sorted(codes)})
    return hosted
