"""Reading the exchange: a letter's dispatches, the fallback on offer, the ministry dashboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from saraban.intake.models import IntakeItem
from saraban.kernel import clock
from saraban.letters.models import Direction, Letter
from saraban.orgs.models import Agency

from . import local
from .models import Dispatch, DispatchStatus, InboundMessage, OutboxMessage, Participant


def fallback(d: Dispatch) -> dict[str, Any] | None:
    """What to do when the system could not deliver: the central mailbox (Appendix 7) or paper."""
    if d.status not in (DispatchStatus.FAILED, DispatchStatus.REJECTED) or d.fallbacks.exists():
        return None
    p = Participant.objects.filter(code=d.recipient_code).first()
    return {"email": p.email if p else "", "paper": True,
            "channels": ["email", "post", "messenger"]}


def registering_unit(d: Dispatch) -> str | None:
    """The unit that registered it, without the recipient's own name (already on the row): "สำนักงานเลขานุการกรม",
    not "สำนักงานเลขานุการกรม กรมอุตุนิยมวิทยา" beside "กรมอุตุนิยมวิทยา"."""
    text = " ".join((d.registering_unit or "").split())
    if d.recipient_name:
        text = " ".join(text.replace(d.recipient_name, " ").split())
    return text or None


def dispatch_row(d: Dispatch) -> dict[str, Any]:
    msg: OutboxMessage | None = getattr(d, "message", None)
    return {
        "id": d.pk, "recipient": d.recipient_code, "recipient_org": d.recipient_org, "recipient_name": d.recipient_name,
        "channel": d.channel, "status": d.status, "status_label": d.get_status_display(), "queued_at": d.queued_at,
        "delivered_at": d.delivered_at, "status_at": d.status_at, "signed": d.signed, "receipt_id": d.receipt_id,
        "registration_no": d.registration_no or None, "registration_display": d.registration_display or None,
        "registration_date": d.registration_date, "registering_unit": d.registering_unit or None,
        "registering_unit_short": registering_unit(d),
        "registration_disputed": d.registration_disputed,
        "reason_code": d.reason_code or None, "reason_text": d.reason_text or None, "evidence": d.evidence or None,
        "message_id": msg.message_id if msg else None, "attempts": msg.attempts if msg else 0,
        "expires_at": msg.expires_at if msg else None,
        "last_error": (f"{msg.last_error_code} {msg.last_error}".strip() or None) if msg else None,
        "fallback": fallback(d), "fallback_of": d.fallback_of_id,
    }


def dispatches(letter: Letter) -> list[Dispatch]:
    qs = Dispatch.objects.filter(letter=letter).select_related("message")
    return list(qs.order_by("queued_at", "recipient_name"))


def inbound_for(letter: Letter) -> InboundMessage | None:
    if letter.direction != Direction.INCOMING or letter.channel != "sbx":
        return None
    return (InboundMessage.objects.filter(kind="letter", letter_uuid=letter.letter_uuid,
                                          recipient_code=letter.agency.code).order_by("-received_at").first())


@dataclass(frozen=True)
class AgencyRow:
    code: str
    name: str
    hosted: bool
    linked: bool
    endpoint: str
    sent_electronic: int
    sent_other: int
    received_electronic: int
    received_other: int
    signed_share: float | None
    paper_share: float | None
    failed: int
    received_other_by: tuple[tuple[str, int], ...] = ()
    """``received_other`` by channel (upload, scan, email …), largest first."""

    @property
    def electronic_share(self) -> float | None:
        total = self.sent_electronic + self.sent_other
        return self.sent_electronic / total if total else None


def month_start(now: dt.datetime | None = None) -> dt.datetime:
    bkk = clock.to_bkk(now or clock.now())
    return bkk.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def dashboard(ministry: Agency | None = None) -> list[AgencyRow]:
    """Per agency, this month: linked or not, letters sent and received electronically, share signed
    digitally, share still on paper, failed deliveries (the ministry's way to 100 %)."""
    since = month_start()
    agencies = Agency.objects.all().order_by("sort_order", "name_th")
    if ministry is not None:
        agencies = agencies.filter(Q(pk=ministry.pk) | Q(parent=ministry))
    participants = {p.code: p for p in Participant.objects.all()}
    sent = {r["agency__code"]: r for r in Dispatch.objects.filter(queued_at__gte=since).values("agency__code").annotate(
        sbx=Count("id", filter=Q(channel="sbx") & ~Q(status__in=["queued", "failed", "withdrawn"])),
        signed=Count("id", filter=Q(channel="sbx", signed=True) & ~Q(status__in=["queued", "failed", "withdrawn"])),
        other=Count("id", filter=~Q(channel="sbx")),
        paper=Count("id", filter=Q(channel__in=["post", "messenger"])),
        failed=Count("id", filter=Q(channel="sbx", status="failed")),
    )}
    received = dict(InboundMessage.objects.filter(kind="letter", received_at__gte=since, mailbox=False)
                    .values("recipient_code").annotate(n=Count("id")).values_list("recipient_code", "n"))
    other_by: dict[str, dict[str, int]] = {}
    for code, channel, n in (IntakeItem.objects.filter(received_at__gte=since).exclude(channel="sbx")
                             .values("agency__code", "channel").annotate(n=Count("id"))
                             .values_list("agency__code", "channel", "n")):
        other_by.setdefault(code, {})[channel] = n
    other_in = {code: sum(by.values()) for code, by in other_by.items()}
    rows = []
    for a in agencies:
        p = participants.get(a.code)
        s = sent.get(a.code, {})
        total = s.get("sbx", 0) + s.get("other", 0)
        here = local.served_here(a.code)
        rows.append(AgencyRow(
            code=a.code, name=a.name_th, hosted=here or (a.hosted and p is None),
            # linked: it can send and receive through the system, by SBX to its own system or in-process here
            linked=bool(p and p.linked) or here, endpoint=p.endpoint if p else "",
            sent_electronic=s.get("sbx", 0), sent_other=s.get("other", 0),
            received_electronic=received.get(a.code, 0), received_other=other_in.get(a.code, 0),
            signed_share=(s.get("signed", 0) / s["sbx"]) if s.get("sbx") else None,
            paper_share=(s.get("paper", 0) / total) if total else None, failed=s.get("failed", 0),
            received_other_by=tuple(sorted(other_by.get(a.code, {}).items(), key=lambda kv: -kv[1])),
        ))
    return rows
