"""Lending (form 24, R44–R45): the card, approval, clearance, and the electronic grant that expires by itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from saraban.access.principal import forget_principals, principal_for
from saraban.audit.models import AuditEvent
from saraban.kernel.clock import BANGKOK
from saraban.letters.policy import can_view_letter, visible_letters
from saraban.records import errors
from saraban.records.actions.loans import LoanRequest, lend, return_loan
from saraban.records.models import Loan
from tests.fixtures import user
from tests.records.conftest import person

pytestmark = pytest.mark.django_db


def sees(username: str, letter: Any) -> tuple[bool, bool]:
    """(the single-object check, the list filter) for ``username`` and ``letter``, both asked afresh."""
    forget_principals()
    u = user(username)
    p = principal_for(u)
    return can_view_letter(p, letter), visible_letters(p).filter(pk=letter.pk).exists()


def req(letter: Any, **over: Any) -> LoanRequest:
    base: dict[str, Any] = {"letter_id": letter.pk, "medium": "electronic", "scope": "internal",
                            "due": dt.date(2026, 3, 10), "purpose": "ใช้ประกอบการพิจารณาร่างระเบียบ"}
    base.update(over)
    return LoanRequest(**base)


def test_electronic_loan_is_a_grant_that_expires_by_itself(letters, clock) -> None:
    letter = letters["normal"]
    officer = person("officer")
    assert sees("officer", letter) == (False, False)
    loan = lend(user("registrar"), req(letter, borrower_id=officer.pk))
    assert loan.borrower_name == officer.full_name_th and loan.borrower_agency == officer.home_unit.agency.name_th
    # due 10 Mar 2569 (B.E.): the grant runs through that Bangkok day and ends at midnight after it
    assert loan.due_at == dt.datetime(2026, 3, 11, tzinfo=BANGKOK)
    assert sees("officer", letter) == (True, True)
    clock.set(dt.datetime(2026, 3, 10, 23, 59, tzinfo=BANGKOK))
    assert sees("officer", letter) == (True, True)
    clock.set(loan.due_at)  # the due instant itself: over, with nothing having run
    assert sees("officer", letter) == (False, False)
    assert Loan.objects.get(pk=loan.pk).returned_at is None


def test_returning_ends_the_grant_early(letters, clock) -> None:
    letter = letters["normal"]
    loan = lend(user("registrar"), req(letter, borrower_id=person("officer").pk))
    assert sees("officer", letter) == (True, True)
    returned = return_loan(user("officer"), loan.pk)  # the borrower hands it back
    assert returned.returned_at == clock.now() and returned.returner_name == person("officer").full_name_th
    assert sees("officer", letter) == (False, False)
    with pytest.raises(errors.LoanAlreadyReturned):
        return_loan(user("registrar"), loan.pk)


def _nothing_changed(before_events: int) -> None:
    assert Loan.objects.count() == 0
    assert AuditEvent.objects.count() == before_events


def test_classified_letter_refused_to_a_borrower_without_clearance(letters, clock) -> None:
    events = AuditEvent.objects.count()
    for letter, who in ((letters["confidential"], "officer"), (letters["secret"], "ict-director")):
        with pytest.raises(errors.BorrowerNotCleared) as exc:
            lend(user("secretary"), req(letter, borrower_id=person(who).pk))
        assert exc.value.code == "loan_borrower_not_cleared" and exc.value.status == 403
    with pytest.raises(errors.BorrowerNotCleared):  # an outsider has no clearance on record
        lend(user("secretary"), req(letters["confidential"], medium="paper", scope="outsider",
                                    borrower_name="นายสมมติ ตัวอย่าง", borrower_agency="บริษัท ตัวอย่าง จำกัด",
                                    approver_id=person("director").pk))
    _nothing_changed(events)
    assert sees("officer", letters["confidential"]) == (False, False)


def test_classified_loan_within_clearance_is_need_to_know(letters, clock) -> None:
    letter = letters["confidential"]
    assert sees("ict-director", letter) == (False, False)  # cleared for ลับ, but not given it
    lend(user("secretary"), req(letter, borrower_id=person("ict-director").pk))
    assert sees("ict-director", letter) == (True, True)
    assert sees("ict-deputy", letter) == (False, False)  # cleared too, but it was not lent to them


def test_only_those_who_keep_the_letter_lend_it(letters, clock) -> None:
    with pytest.raises(errors.NotAllowedToLend):
        lend(user("officer"), req(letters["normal"], borrower_id=person("officer").pk))
    with pytest.raises(errors.NotAllowedToLend):  # an ordinary registrar cannot see, let alone lend, a ลับ letter
        lend(user("registrar"), req(letters["confidential"], borrower_id=person("ict-director").pk))
    assert Loan.objects.count() == 0


def test_other_agencies_and_outsiders_need_a_division_heads_approval(letters, clock) -> None:
    letter = letters["normal"]
    events = AuditEvent.objects.count()
    outsider = {"medium": "paper", "scope": "outsider", "borrower_name": "นางสาวทดลอง สมมติ",
                "borrower_agency": "มหาวิทยาลัยตัวอย่าง", "receiver_name": "นางสาวทดลอง สมมติ"}
    with pytest.raises(errors.ApprovalRequired) as exc:
        lend(user("registrar"), req(letter, **outsider))
    assert exc.value.code == "loan_approval_required"
    with pytest.raises(errors.ApproverNotQualified):  # not a head
        lend(user("registrar"), req(letter, **outsider, approver_id=person("registrar").pk))
    with pytest.raises(errors.ApproverNotQualified):  # a head, but of another agency
        lend(user("registrar"), req(letter, **outsider, approver_id=person("tmd-director").pk))
    _nothing_changed(events)
    loan = lend(user("registrar"), req(letter, **outsider, approver_id=person("director").pk))
    assert loan.approver_position == "ผู้อำนวยการกองกลาง" and loan.approved_at == clock.now()
    tmd = person("tmd-registrar")  # another agency's officer, electronically, approved by the permanent secretary
    loan2 = lend(user("registrar"), req(letter, scope="other_agency", borrower_id=tmd.pk,
                                        approver_id=person("permsec").pk))
    assert loan2.borrower_agency == "กรมอุตุนิยมวิทยา"
    assert sees("tmd-registrar", letter) == (True, True)


def test_bad_input_is_refused_with_a_code(letters, clock) -> None:
    letter = letters["normal"]
    cases = [
        (req(letter, borrower_id=person("officer").pk, due=dt.date(2026, 3, 1)), "loan_bad_dates"),
        (req(letter, medium="electronic", borrower_name="ผู้ไม่มีบัญชี", borrower_agency="x"),
         "loan_needs_borrower_account"),
        (req(letter, borrower_id=person("officer").pk, purpose="  "), "loan_purpose_required"),
        (req(letter, borrower_id=person("officer").pk, medium="fax"), "loan_bad_medium"),
    ]
    for bad, code in cases:
        with pytest.raises(errors.SarabanError) as exc:
            lend(user("registrar"), bad)
        assert exc.value.code == code
    assert Loan.objects.count() == 0


def test_the_audit_event_never_carries_the_subject_or_purpose(letters, clock) -> None:
    lend(user("secretary"), req(letters["confidential"], borrower_id=person("ict-director").pk))
    event = AuditEvent.objects.filter(action="records.loan_lent").get()
    text = str(event.data)
    assert "แผนรักษาความปลอดภัย" not in text and "ร่างระเบียบ" not in text
    assert event.data["borrower"] == str(person("ict-director").pk)
