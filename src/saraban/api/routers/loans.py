"""/api/v1/records: loans (form 24) and re-grading of classified letters.  Mutations go through the shared
run-action helper and honour ``Idempotency-Key``; reads that show a classified subject or reason are logged."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from saraban.access.principal import principal_for
from saraban.api.auth import caller
from saraban.kernel import clock
from saraban.letters.queries import letter_for
from saraban.letters.reads import record_read
from saraban.orgs.models import Person
from saraban.records import errors
from saraban.records.actions.copies import certify_copy
from saraban.records.actions.grading import history, regrade
from saraban.records.actions.loans import LoanRequest, lend, return_loan
from saraban.records.models import Loan, Regrading
from saraban.records.policy import can_view_loan
from saraban.reports.dashboard import subject_for
from saraban.reports.loans import loans_of_year
from saraban.transport import once

from ..schemas import Error
from ..schemas.loans import (
    CertifiedCopyOut,
    CertifyIn,
    LoanIn,
    LoanOut,
    RegradeIn,
    RegradingOut,
    ReturnLoanIn,
)

router = Router(tags=["records"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


def _json(data: Any) -> Any:
    return json.loads(json.dumps(data, default=str, ensure_ascii=False))


def _person_id(ref: str | None) -> uuid.UUID | None:
    if not ref:
        return None
    try:
        return uuid.UUID(ref)
    except ValueError:
        person = Person.objects.filter(user__username=ref).first()
        if person is None:
            raise errors.InvalidInput("ไม่พบบุคคลที่ระบุ", f"Unknown person {ref!r}", code="unknown_person") from None
        return person.pk


def loan_out(user: Any, loan: Loan) -> dict[str, Any]:
    now = clock.now()
    return {
        "id": loan.pk, "letter_id": loan.letter_id, "subject": subject_for(principal_for(user), loan.letter),
        "file_code": loan.file_code, "medium": loan.medium, "scope": loan.scope, "borrower_id": loan.borrower_id,
        "borrower_name": loan.borrower_name, "borrower_position": loan.borrower_position,
        "borrower_agency": loan.borrower_agency, "receiver_name": loan.receiver_name, "lent_at": loan.lent_at,
        "due_at": loan.due_at, "approver_name": loan.approver_name, "approver_position": loan.approver_position,
        "approved_at": loan.approved_at, "returned_at": loan.returned_at, "returner_name": loan.returner_name,
        "out": loan.is_out(now), "overdue": loan.is_overdue(now),
    }


def regrading_out(r: Regrading) -> dict[str, Any]:
    return {"id": r.pk, "letter_id": r.letter_id, "change": r.change, "from_secrecy": r.from_secrecy,
            "to_secrecy": r.to_secrecy, "reason": r.reason, "authority": r.authority, "decided_by": r.decided_by_name,
            "decided_by_position": r.decided_by_position, "at": r.at,
            "moved_from": [e.display for e in r.moved_from.all()], "moved_to": [e.display for e in r.moved_to.all()],
            "files_encrypted": r.files_encrypted}


def _shown_classified(user: Any, loans: list[Loan]) -> list[Any]:
    p = principal_for(user)
    return [x.letter for x in loans if x.letter.is_classified and subject_for(p, x.letter) == x.letter.subject]


@router.post("/loans", response={201: LoanOut, **ERRORS}, summary="Lend a letter (form 24; R44–R45)")
def create_loan(request: HttpRequest, payload: LoanIn) -> Status:
    user = caller(request)
    req = LoanRequest(
        letter_id=payload.letter_id, medium=payload.medium, scope=payload.scope, due=payload.due,
        purpose=payload.purpose, borrower_id=_person_id(payload.borrower), borrower_name=payload.borrower_name,
        borrower_position=payload.borrower_position, borrower_agency=payload.borrower_agency,
        receiver_name=payload.receiver_name, approver_id=_person_id(payload.approver), file_code=payload.file_code,
    )
    return once.api(request, {"loan": payload.model_dump(mode="json")},
                    lambda: _json(loan_out(user, lend(user, req))), 201)


@router.get("/loans", response={200: list[LoanOut], **ERRORS}, summary="The loan register of a B.E. year")
def list_loans(request: HttpRequest, year: int | None = None) -> list[dict[str, Any]]:
    user = caller(request)
    loans = loans_of_year(principal_for(user), year or clock.year_be())
    record_read(user, None, via="api.records.loans", role="listing", listed=_shown_classified(user, loans))
    return [loan_out(user, x) for x in loans]


def _loan(user: Any, loan_id: uuid.UUID) -> Loan:
    loan = Loan.objects.select_related("letter").filter(pk=loan_id).first()
    if loan is None or not can_view_loan(principal_for(user), loan):
        raise errors.LoanNotFound()
    return loan


@router.get("/loans/{loan_id}", response={200: LoanOut, **ERRORS}, summary="One loan")
def get_loan(request: HttpRequest, loan_id: uuid.UUID) -> dict[str, Any]:
    user = caller(request)
    loan = _loan(user, loan_id)
    record_read(user, None, via="api.records.loan", role="listing", listed=_shown_classified(user, [loan]))
    return loan_out(user, loan)


@router.post("/loans/{loan_id}/return", response={200: LoanOut, **ERRORS},
             summary="Record the return (an electronic grant ends at once)")
def return_one(request: HttpRequest, loan_id: uuid.UUID, payload: ReturnLoanIn) -> Status:
    user = caller(request)
    return once.api(request, {"return": str(loan_id), **payload.model_dump(mode="json")},
                    lambda: _json(loan_out(user, return_loan(user, loan_id, payload.returner_name))))


@router.post("/loans/{loan_id}/certified-copies", response={201: CertifiedCopyOut, **ERRORS},
             summary="Make a signed copy stamped สำเนาถูกต้อง, recorded against the loan")
def certify(request: HttpRequest, loan_id: uuid.UUID, payload: CertifyIn) -> Status:
    user = caller(request)

    def fn() -> Any:
        c = certify_copy(user, loan_id, file_id=payload.file_id, pin=payload.pin)
        return _json({"id": c.pk, "loan_id": c.loan_id, "source_file_id": c.source_id, "sha256": c.blob.sha256,
                      "certifier_name": c.certifier_name, "certifier_position": c.certifier_position,
                      "signed": c.signed, "certified_at": c.certified_at})

    return once.api(request, {"certify": str(loan_id), "file": str(payload.file_id or "")}, fn, 201)


@router.post("/letters/{letter_id}/regrade", response={201: RegradingOut, **ERRORS},
             summary="Raise, lower or cancel a letter's secrecy class (ลับที่สุด refused)")
def regrade_letter(request: HttpRequest, letter_id: uuid.UUID, payload: RegradeIn) -> Status:
    user = caller(request)
    return once.api(request, {"regrade": str(letter_id), **payload.model_dump(mode="json")},
                    lambda: _json(regrading_out(regrade(user, letter_id, payload.to, payload.reason,
                                                        payload.authority))), 201)


@router.get("/letters/{letter_id}/regradings", response={200: list[RegradingOut], **ERRORS},
            summary="A letter's re-grading history")
def regradings(request: HttpRequest, letter_id: uuid.UUID) -> list[dict[str, Any]]:
    user = caller(request)
    letter = letter_for(user, letter_id)
    record_read(user, letter, via="api.records.regradings", role="metadata")
    return [regrading_out(r) for r in history(letter)]
