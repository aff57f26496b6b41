"""Reminding of overdue loans, and escalating those long overdue (R44: "the system reminds and escalates").

Paper originals and copies not back by their due time are reminded once a Bangkok day: the borrower (when on
record) and the officer who lent it.  Once a loan is ``SARABAN_LOAN_ESCALATE_DAYS`` (7) days overdue, the
approver and the heads of the letter's unit and the units above it are told as well, once.  Notices go
through :func:`saraban.routing.notify.service.notify`, which keeps a classified letter's words out of them;
the titles written here never name a classified letter's subject either.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import Q

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.thai import format_date
from saraban.orgs.models import Person, PositionHolding, Unit
from saraban.routing.notify.service import notify

from ..models import Loan
from .loans import escalate_after

REMIND_EVENT = "records.loan_overdue"
ESCALATE_EVENT = "records.loan_escalated"


def reminder_due(loan: Loan, now: dt.datetime) -> bool:
    """Overdue and not yet reminded today (Bangkok)."""
    if not loan.is_overdue(now):
        return False
    return loan.reminded_at is None or clock.to_bkk(loan.reminded_at).date() < clock.to_bkk(now).date()


def escalation_due(loan: Loan, now: dt.datetime) -> bool:
    return loan.is_overdue(now) and loan.escalated_at is None and now - loan.due_at >= escalate_after()


def heads_over(unit: Unit, day: dt.date) -> list[Person]:
    """Who holds or acts in the head position of ``unit`` and of each unit above it in the same agency."""
    units = []
    node: Unit | None = unit
    while node is not None and node.agency_id == unit.agency_id:
        units.append(node.pk)
        node = node.parent
    holdings = (PositionHolding.objects.filter(position__unit_id__in=units, position__is_head=True, start__lte=day)
                .filter(Q(end__isnull=True) | Q(end__gte=day)).select_related("person"))
    return [h.person for h in holdings]


def _title(loan: Loan, escalated: bool) -> str:
    due = format_date(clock.to_bkk(loan.due_at) - dt.timedelta(microseconds=1), style="abbr")
    what = "ยังไม่ส่งคืน" if not escalated else "ค้างส่งคืนเกินกำหนด (แจ้งผู้บังคับบัญชา)"
    subject = "" if loan.letter.is_classified else f": {loan.letter.subject}"
    return f"หนังสือที่ยืม{what} กำหนดส่งคืน {due}{subject}"


@action("records.loan_reminded")
def remind_loan(actor: Actor, loan_id: uuid.UUID) -> str:
    """Remind (and, when due, escalate) one overdue loan; ``""`` when nothing was due after all."""
    loan = (Loan.objects.select_for_update(of=("self",)).select_related("letter__unit__parent", "borrower", "approver")
            .filter(pk=loan_id).first())
    now = clock.now()
    if loan is None or not (reminder_due(loan, now) or escalation_due(loan, now)):
        audit.record("records.loan_reminded", actor=actor, object_type="records.loan", object_id=str(loan_id),
                     data={"sent": ""})
        return ""
    lender = Person.objects.filter(user_id=loan.created_by_id).first() if loan.created_by_id else None
    url = "/records/loans/"
    people = [p for p in (loan.borrower, lender) if p is not None]
    notify(people, event=REMIND_EVENT, title=_title(loan, False), letter=loan.letter, url=url)
    sent = "reminded"
    loan.reminders += 1
    loan.reminded_at = now
    if escalation_due(loan, now):
        bosses = [p for p in (loan.approver, *heads_over(loan.letter.unit, clock.to_bkk(now).date())) if p]
        notify(bosses, event=ESCALATE_EVENT, title=_title(loan, True), letter=loan.letter, url=url)
        loan.escalated_at = now
        sent = "escalated"
    loan.save(update_fields=["reminders", "reminded_at", "escalated_at"])
    audit.record("records.loan_reminded", actor=actor, obj=loan, data={"sent": sent, "reminders": loan.reminders})
    return sent
