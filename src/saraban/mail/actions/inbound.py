"""Receiving: keeping the original, recording the examination, quarantine decisions.

Subjects never enter the audit log from here (a mail may be classified before anyone knows it): events
carry the Message-ID, addresses, sizes, hashes and reasons.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from saraban.audit import log as audit
from saraban.exchange.local import central_unit
from saraban.intake import queue
from saraban.intake.models import IntakeItem
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.errors import Conflict, InvalidInput
from saraban.kernel.thai import normalize
from saraban.letters.models import Direction, Letter
from saraban.orgs.models import Agency
from saraban.storage import blobs

from .. import examine as examine_mod
from .. import extract, parse
from ..errors import MailClosed
from ..models import MailAccount, MailMessage, MailStatus


def _hidden(msg: MailMessage) -> dict[str, Any]:
    return {"message_id": msg.message_id[:200], "sha256": msg.sha256, "size": msg.size, "agency": msg.agency.code}


@action("mail.receive")
def receive(raw: bytes, agencies: list[Agency], *, source: str, envelope_from: str = "", envelope_to: str = "",
            peer: str = "", account: MailAccount | None = None, imap: tuple[int, int] | None = None,
            examine_until: dt.datetime | None = None) -> list[MailMessage]:
    """Keep a message exactly as it arrived (hashed; encrypted if it is marked classified), one row per agency.
    ``examine_until``: the caller examines it next and holds it until then (no other worker takes it)."""
    if not agencies:
        raise InvalidInput("ไม่มีหน่วยงานผู้รับ", "No receiving agency", code="mail_no_recipient")
    head = parse.parse_headers(raw)
    classified = parse.looks_classified(head.subject)
    blob = blobs.put(raw, "message/rfc822", encrypted=classified)
    now = clock.now()
    rows = [MailMessage.objects.create(
        agency=a, account=account, source=source, raw=blob, sha256=blob.sha256, size=len(raw), received_at=now,
        envelope_from=envelope_from[:500], envelope_to=envelope_to[:500], peer=peer[:100],
        imap_uidvalidity=imap[0] if imap else None, imap_uid=imap[1] if imap else None,
        message_id=head.message_id, from_addr=head.from_addr, from_name=head.from_name[:500],
        subject="" if classified else head.subject, classified=classified, process_lease=examine_until,
    ) for a in agencies]
    audit.record("mail.receive", obj=rows[0], data={
        "source": source, "agencies": [a.code for a in agencies], "message_id": head.message_id[:200],
        "from": head.from_addr, "envelope_from": envelope_from[:200], "sha256": blob.sha256, "size": len(raw),
        "imap_uid": imap[1] if imap else None, "classified": classified, "rows": [str(r.pk) for r in rows],
    })
    return rows


def _duplicates(msg: MailMessage, v: examine_mod.Verdict) -> dict[str, Any]:
    """Likely the same letter: the same Message-ID, or the same ที่ + sender + date (digits normalised)."""
    flags: dict[str, Any] = {}
    if v.message_id:
        twin = (MailMessage.objects.filter(agency=msg.agency, message_id=v.message_id).exclude(pk=msg.pk)
                .order_by("received_at").first())
        if twin is not None:
            flags["duplicate"] = {"by": "message_id", "mail": str(twin.pk),
                                  "intake_item": str(twin.intake_item_id or "")}
            return flags
    meta = v.meta
    if not v.dup_key or meta is None or meta.their_date is None:
        return flags
    day = meta.their_date.isoformat()
    # waiting in the queue (registered ones are letters, found below by the register's own index)
    same_day = IntakeItem.objects.filter(agency=msg.agency, status="pending", metadata__their_date=day)
    for pk, m, channel in same_day.values_list("pk", "metadata", "channel").iterator():
        if extract.dup_key(m.get("their_ref", ""), m.get("sender", ""), meta.their_date) == v.dup_key:
            flags["duplicate"] = {"by": "their_ref", "intake_item": str(pk), "channel": channel}
            return flags
    letters = Letter.objects.filter(agency=msg.agency, direction=Direction.INCOMING, letter_date=meta.their_date,
                                    ref_norm=normalize(meta.their_ref))
    for pk, ref, sender in letters.values_list("pk", "their_ref", "sender"):
        if extract.dup_key(ref, sender, meta.their_date) == v.dup_key:
            flags["duplicate"] = {"by": "their_ref", "letter": str(pk)}
            return flags
    return flags


@action("mail.process")
def process(msg: MailMessage, v: examine_mod.Verdict) -> MailMessage:
    """Record what the examination found: into the agency's queue, or into quarantine with the reasons."""
    msg = MailMessage.objects.select_related("agency").get(pk=msg.pk)
    if msg.status != MailStatus.RECEIVED:
        audit.record("mail.process", obj=msg, data={"repeat": True, "status": msg.status})
        return msg
    flags: dict[str, Any] = {"sender": {"code": v.sender.code, "how": v.sender.how}}
    msg.attachments, msg.sender_code = v.attachments, v.sender.code
    msg.message_id, msg.from_addr, msg.from_name = v.message_id, v.from_addr, v.from_name[:500]
    msg.subject = "" if (v.classified or msg.classified) else v.subject
    msg.processed_at, msg.process_lease, msg.process_error = clock.now(), None, ""
    if v.quarantine:
        msg.status, msg.reasons = MailStatus.QUARANTINED, [p.as_dict() for p in v.problems]
    else:
        flags.update(_duplicates(msg, v))
        item = queue.add(central_unit(msg.agency), v.meta, v.letter, v.extras,  # type: ignore[arg-type]
                         channel="email", received_at=msg.received_at, source_ref=v.message_id)
        msg.status, msg.intake_item_id = MailStatus.QUEUED, item.pk
    msg.flags = flags
    msg.save()
    audit.record("mail.process", obj=msg, data={
        **_hidden(msg), "status": msg.status, "reasons": [r["code"] for r in msg.reasons],
        "intake_item": str(msg.intake_item_id or ""), "duplicate": flags.get("duplicate", {}).get("by", ""),
        "sender": v.sender.code,
    })
    return msg


def note_failure(msg: MailMessage, error: str, retry_at: dt.datetime) -> None:
    """Examination crashed (a bug, not the mail's fault): keep it received, say why, try later (bookkeeping)."""
    MailMessage.objects.filter(pk=msg.pk, status=MailStatus.RECEIVED).update(
        process_error=error[:1000], process_lease=retry_at)


def _open(actor: Actor, msg: MailMessage, *statuses: str) -> MailMessage:
    from .. import policy

    msg = MailMessage.objects.select_related("agency").get(pk=msg.pk)
    policy.require_officer(actor, msg.agency)
    if msg.status not in statuses:
        raise MailClosed()
    return msg


@action("mail.release")
def release(actor: Actor, msg: MailMessage, note: str = "") -> MailMessage:
    """An officer looked at a quarantined mail and lets it into the queue (its reasons stay on record)."""
    msg = _open(actor, msg, MailStatus.QUARANTINED)
    if msg.classified:
        raise Conflict("อีเมลที่มีชั้นความลับปล่อยเข้าคิวไม่ได้ ให้ส่งคืนผู้ส่ง", "A classified mail cannot be released",
                       code="mail_classified")
    letter, extras, meta = examine_mod.release_parts(msg)
    item = queue.add(central_unit(msg.agency), meta, letter, extras, channel="email", received_at=msg.received_at,
                     source_ref=msg.message_id)
    note = " ".join((note or "").split())[:500]
    MailMessage.objects.filter(pk=msg.pk).update(status=MailStatus.QUEUED, intake_item_id=item.pk, decided_by=actor)
    msg.status, msg.intake_item_id = MailStatus.QUEUED, item.pk
    audit.record("mail.release", actor=actor, obj=msg, data={**_hidden(msg), "intake_item": str(item.pk),
                                                             "reasons": [r["code"] for r in msg.reasons], "note": note})
    return msg


@action("mail.discard")
def discard(actor: Actor, msg: MailMessage, reason: str) -> MailMessage:
    """Set a quarantined mail aside (the original is kept, with the reason)."""
    msg = _open(actor, msg, MailStatus.QUARANTINED)
    reason = " ".join((reason or "").split())[:500]
    if not reason:
        raise InvalidInput("ต้องระบุเหตุผล", "A reason is required", code="reason_required")
    msg.reasons = [*msg.reasons, {"code": "discarded", "th": reason, "en": reason}]
    MailMessage.objects.filter(pk=msg.pk).update(status=MailStatus.DISCARDED, reasons=msg.reasons, decided_by=actor)
    msg.status = MailStatus.DISCARDED
    audit.record("mail.discard", actor=actor, obj=msg, data={**_hidden(msg), "reason": reason})
    return msg


def on_registered(item: Any, entry: Any, actor: Actor) -> None:
    """Registering an e-mail item keeps the receipt number with the mail, for the reply (intake hook)."""
    if item.channel != "email":
        return
    registered = clock.to_bkk(entry.registered_at)
    MailMessage.objects.filter(intake_item_id=item.pk).update(registration={
        "number": entry.display, "date": registered.date().isoformat(), "time": registered.strftime("%H:%M"),
        "unit": entry.book.unit.name_th, "letter": str(entry.letter_id)})


def stale_q() -> Q:
    now = clock.now()
    return Q(status=MailStatus.RECEIVED) & (Q(process_lease__isnull=True) | Q(process_lease__lt=now))

