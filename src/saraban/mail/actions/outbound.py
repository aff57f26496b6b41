"""Sending from the central address: letters as a dispatch channel beside SBX, and replies with the number.

Each e-mail is built once (its Message-ID fixed) and stored; the worker (:mod:`saraban.mail.outbox`)
sends exactly those bytes on every attempt.  The server's answer is kept per recipient: 250 → sent
(the dispatch becomes ``sent`` with the Message-ID as evidence), 4xx or no connection → retried with
back-off until the letter's delivery time runs out, 5xx → failed with the server's words as the reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from saraban.audit import log as audit
from saraban.exchange import channels
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.errors import InvalidInput
from saraban.kernel.models import Secrecy
from saraban.letters.models import Letter
from saraban.storage import blobs

from .. import compose, outbox, policy
from ..errors import ClassifiedByMail, NoEmailAddress, NotRegisteredYet
from ..models import MailAccount, MailMessage, MailStatus, OutgoingMail, OutStatus

REPLY_TTL = dt.timedelta(days=3)


def central_address(agency: Any) -> str:
    account = MailAccount.objects.filter(agency=agency).first()
    return (account.address if account else "") or agency.central_email


def schedule_letter(dispatch: Any, letter: Letter, participant: Any, *, expires_at: dt.datetime, actor: Actor) -> str:
    """The ``email`` channel's scheduler, run inside ``exchange.dispatch``: build the mail, queue it."""
    if letter.secrecy != Secrecy.NORMAL:
        raise ClassifiedByMail()
    if not participant.email:
        raise NoEmailAddress(details={"recipient": participant.code})
    from_addr = central_address(letter.agency)
    if not from_addr:
        raise NoEmailAddress("หน่วยงานผู้ส่งยังไม่ได้ตั้งที่อยู่ไปรษณีย์อิเล็กทรอนิกส์กลาง",
                             "The sending agency has no central e-mail address", code="no_central_address")
    mid = compose.new_message_id(from_addr)
    raw = compose.letter_mail(letter, participant.email, participant.name_th, from_addr=from_addr, mid=mid)
    out = OutgoingMail.objects.create(
        agency=letter.agency, kind=OutgoingMail.KIND_LETTER, dispatch_id=dispatch.pk, to_addr=participant.email,
        message_id=mid, raw=blobs.put(raw, "message/rfc822"), created_at=clock.now(), expires_at=expires_at,
        next_attempt_at=clock.now(), created_by=actor)
    outbox.wake(out.pk)
    return mid


@action("mail.reply_with_number")
def reply_with_number(actor: Actor, msg: MailMessage, subject: str = "", body: str = "") -> OutgoingMail:
    """Tell the sender the receipt number (R30), with the standard text or the officer's edited one."""
    from saraban.intake.models import IntakeItem

    msg = MailMessage.objects.select_related("agency").get(pk=msg.pk)
    policy.require_officer(actor, msg.agency)
    item = IntakeItem.objects.filter(pk=msg.intake_item_id).first() if msg.intake_item_id else None
    if msg.status != MailStatus.QUEUED or not msg.registration or item is None:
        raise NotRegisteredYet()
    if not msg.from_addr or "@" not in msg.from_addr:
        raise NoEmailAddress("อีเมลนี้ไม่มีที่อยู่ผู้ส่งที่ตอบกลับได้", "This mail has no sender address to reply to")
    std_subject, std_body = compose.reply_text(msg, item.secrecy, item.metadata.get("their_ref", ""), item.subject)
    subject = " ".join((subject or std_subject).split())[:300]
    body = (body or std_body).replace("\r\n", "\n")[:20000]
    if not subject or not body.strip():
        raise InvalidInput("ต้องมีหัวเรื่องและข้อความ", "A subject and a text are required", code="reply_empty")
    from_addr = central_address(msg.agency)
    mid = compose.new_message_id(from_addr)
    raw = compose.reply_mail(msg, from_addr=from_addr, subject=subject, body=body, mid=mid)
    now = clock.now()
    out = OutgoingMail.objects.create(
        agency=msg.agency, kind=OutgoingMail.KIND_REPLY, reply_to=msg, to_addr=msg.from_addr, message_id=mid,
        raw=blobs.put(raw, "message/rfc822"), created_at=now, expires_at=now + REPLY_TTL, next_attempt_at=now,
        created_by=actor)
    outbox.wake(out.pk)
    audit.record("mail.reply_with_number", actor=actor, obj=out, data={
        "mail": str(msg.pk), "to": msg.from_addr, "message_id": mid, "number": msg.registration.get("number", ""),
        "edited": body != std_body or subject != std_subject})
    return out


@action("mail.sent")
def record_sent(out: OutgoingMail, code: int, reply: str) -> None:
    now = clock.now()
    OutgoingMail.objects.filter(pk=out.pk).update(status=OutStatus.SENT, smtp_code=code, smtp_reply=reply[:1000],
                                                  sent_at=now, lease_until=None)
    if out.dispatch_id:
        channels.settle(out.dispatch_id, sent=True, evidence=f"{out.message_id} {code} {reply}")
    audit.record("mail.sent", obj=out, data={"message_id": out.message_id, "to": out.to_addr, "kind": out.kind,
                                             "attempt": out.attempts, "smtp": f"{code} {reply}"[:300]})


@action("mail.attempt_failed")
def record_attempt_failed(out: OutgoingMail, code: int | None, reply: str, next_at: dt.datetime) -> None:
    OutgoingMail.objects.filter(pk=out.pk).update(smtp_code=code, smtp_reply=reply[:1000], next_attempt_at=next_at,
                                                  lease_until=None)
    if out.dispatch_id:
        channels.settle(out.dispatch_id, sent=None, reason_code="RETRYING", reason_text=f"{code or ''} {reply}".strip())
    audit.record("mail.attempt_failed", obj=out, data={"message_id": out.message_id, "to": out.to_addr,
                                                       "attempt": out.attempts, "smtp": f"{code or ''} {reply}"[:300],
                                                       "next_attempt_at": next_at})


@action("mail.failed")
def record_failed(out: OutgoingMail, code: int | None, reply: str) -> None:
    OutgoingMail.objects.filter(pk=out.pk).update(status=OutStatus.FAILED, smtp_code=code, smtp_reply=reply[:1000],
                                                  lease_until=None)
    if out.dispatch_id:
        channels.settle(out.dispatch_id, sent=False, evidence=out.message_id, reason_code=f"SMTP_{code or 'ERROR'}",
                        reason_text=reply)
    audit.record("mail.failed", obj=out, data={"message_id": out.message_id, "to": out.to_addr,
                                               "attempts": out.attempts, "smtp": f"{code or ''} {reply}"[:300]})
