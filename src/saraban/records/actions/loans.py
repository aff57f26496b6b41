"""Lending letters (form 24): lend, return, and the reminders and escalation of overdue loans (R44–R45).

Each function here is an action: one transaction, one audit event.  A loan's audit event names the letter,
the borrower and the dates, never the letter's subject or the stated purpose.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings

from saraban.access.principal import principal_for
from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.models import SECRECY_LEVEL, Secrecy
from saraban.letters.models import Letter, LetterStatus
from saraban.orgs.models import Person

from .. import errors
from ..models import APPROVAL_SCOPES, BorrowerScope, Loan, LoanMedium
from ..policy import can_lend, can_view_loan, division_head_position


@dataclass(frozen=True)
class LoanRequest:
    """What the storage officer writes on the borrowing card."""

    letter_id: uuid.UUID
    medium: str
    scope: str
    due: dt.date | dt.datetime
    purpose: str
    borrower_id: uuid.UUID | None = None
    borrower_name: str = ""
    borrower_position: str = ""
    borrower_agency: str = ""
    receiver_name: str = ""
    approver_id: uuid.UUID | None = None
    file_code: str = ""


def due_instant(due: dt.date | dt.datetime) -> dt.datetime:
    """A due *date* runs through that whole Bangkok day: the loan ends at midnight after it."""
    if isinstance(due, dt.datetime):
        if due.tzinfo is None:
            return due.replace(tzinfo=clock.BANGKOK)
        return due
    return dt.datetime.combine(due + dt.timedelta(days=1), dt.time(), tzinfo=clock.BANGKOK)


def _letter(letter_id: uuid.UUID) -> Letter:
    letter = Letter.objects.select_related("agency", "unit").filter(pk=letter_id).first()
    if letter is None:
        raise errors.LetterNotFound()
    return letter


def _person(person_id: uuid.UUID | None) -> Person | None:
    if person_id is None:
        return None
    person = Person.objects.select_related("home_unit__agency").filter(pk=person_id).first()
    if person is None:
        raise errors.InvalidInput("ไม่พบผู้ยืมหรือผู้อนุมัติที่ระบุ", "Unknown borrower or approver",
                                  code="unknown_person")
    return person


def _check_choices(req: LoanRequest) -> None:
    if req.medium not in LoanMedium.values:
        raise errors.InvalidInput("ประเภทการยืมไม่ถูกต้อง", "Unknown loan medium", code="loan_bad_medium")
    if req.scope not in BorrowerScope.values:
        raise errors.InvalidInput("ประเภทผู้ยืมไม่ถูกต้อง", "Unknown borrower scope", code="loan_bad_scope")
    if not req.purpose.strip():
        raise errors.InvalidInput("ต้องระบุวัตถุประสงค์ของการยืม", "State the official purpose of the loan",
                                  code="loan_purpose_required")


def _check_clearance(letter: Letter, borrower: Person | None) -> None:
    """A classified letter goes only to a borrower on record who is cleared for its class."""
    level = SECRECY_LEVEL[Secrecy(letter.secrecy)]
    if level and (borrower is None or borrower.clearance < level):
        raise errors.BorrowerNotCleared(details={"secrecy": letter.secrecy})


def _approval(req: LoanRequest, letter: Letter, now: dt.datetime) -> tuple[Person | None, str]:
    approver = _person(req.approver_id)
    if approver is None:
        if req.scope in APPROVAL_SCOPES:
            raise errors.ApprovalRequired()
        return None, ""
    title = division_head_position(approver, letter.agency_id, clock.to_bkk(now).date())
    if not title:
        raise errors.ApproverNotQualified()
    return approver, title


def _borrower_fields(req: LoanRequest, borrower: Person | None) -> dict[str, str]:
    name = req.borrower_name.strip() or (borrower.full_name_th if borrower else "")
    agency = req.borrower_agency.strip() or (borrower.home_unit.agency.name_th if borrower else "")
    if not name or not agency:
        raise errors.InvalidInput("ต้องระบุชื่อและส่วนราชการของผู้ยืม", "Give the borrower's name and agency",
                                  code="loan_borrower_required")
    return {"borrower_name": name[:255], "borrower_agency": agency[:255],
            "borrower_position": req.borrower_position.strip()[:255],
            "receiver_name": (req.receiver_name.strip() or name)[:255]}


@action("records.loan_lent")
def lend(actor: Actor, req: LoanRequest) -> Loan:
    """Lend a letter: check who lends, the borrower's clearance, the approval and the dates; write the card."""
    _check_choices(req)
    letter = _letter(req.letter_id)
    if letter.status == LetterStatus.OUTSIDE:
        raise errors.OutsideLetter()
    if not can_lend(principal_for(actor), letter):
        raise errors.NotAllowedToLend()
    borrower = _person(req.borrower_id)
    if req.medium == LoanMedium.ELECTRONIC and (borrower is None or borrower.user_id is None):
        raise errors.ElectronicNeedsPerson()
    _check_clearance(letter, borrower)
    now = clock.now()
    due_at = due_instant(req.due)
    if due_at <= now:
        raise errors.BadLoanDates()
    approver, approver_position = _approval(req, letter, now)
    loan = Loan.objects.create(
        agency_id=letter.agency_id, letter=letter, file_code=req.file_code.strip()[:64], medium=req.medium,
        scope=req.scope, borrower=borrower, purpose=req.purpose.strip(), lent_at=now, due_at=due_at,
        approver=approver, approver_name=approver.full_name_th if approver else "",
        approver_position=approver_position, approved_at=now if approver else None, created_by=actor,
        created_at=now, **_borrower_fields(req, borrower),
    )
    audit.record("records.loan_lent", actor=actor, obj=loan, data={
        "letter": str(letter.pk), "medium": loan.medium, "scope": loan.scope,
        "borrower": str(borrower.pk) if borrower else "", "due_at": due_at,
        "approver": str(approver.pk) if approver else "",
    })
    return loan


@action("records.loan_returned")
def return_loan(actor: Actor, loan_id: uuid.UUID, returner_name: str = "") -> Loan:
    """Record the return (a paper original or copy back on file; an electronic grant ended before its time)."""
    loan = Loan.objects.select_for_update(of=("self",)).select_related("letter", "borrower").filter(pk=loan_id).first()
    p = principal_for(actor)
    if loan is None or not can_view_loan(p, loan):
        raise errors.LoanNotFound()
    own = loan.borrower_id is not None and loan.borrower_id == p.person_id and loan.medium == LoanMedium.ELECTRONIC
    if not (own or can_lend(p, loan.letter)):
        raise errors.NotAllowedToLend()
    if loan.returned_at is not None:
        raise errors.LoanAlreadyReturned()
    loan.returned_at = clock.now()
    loan.returner_name = (returner_name.strip() or loan.borrower_name)[:255]
    loan.return_received_by = actor
    loan.save(update_fields=["returned_at", "returner_name", "return_received_by"])
    audit.record("records.loan_returned", actor=actor, obj=loan, data={"letter": str(loan.letter_id)})
    return loan


def escalate_after() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "SARABAN_LOAN_ESCALATE_DAYS", 7)))
