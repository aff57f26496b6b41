"""Overdue loans are reminded once a day and escalated once, through the periodic tick; classified words stay out."""

from __future__ import annotations

import datetime as dt

import pytest

from saraban.kernel import periodic
from saraban.records.actions.loans import LoanRequest, lend, return_loan
from saraban.records.models import Loan
from saraban.routing.models import Notification, Outbound
from saraban.routing.notify.service import CLASSIFIED_TITLE
from tests.fixtures import user
from tests.records.conftest import person

pytestmark = pytest.mark.django_db


def paper(letter, who: str, due: dt.date) -> LoanRequest:
    return LoanRequest(letter_id=letter.pk, medium="paper", scope="internal", due=due,
                       purpose="ตรวจสอบข้อเท็จจริง", borrower_id=person(who).pk)


def notices(event: str) -> list[Notification]:
    return list(Notification.objects.filter(event=event).select_related("person"))


def test_overdue_paper_loan_is_reminded_daily_then_escalated(letters, clock) -> None:
    assert "records.loans_overdue" in periodic.jobs()
    loan = lend(user("registrar"), paper(letters["normal"], "officer", dt.date(2026, 3, 5)))
    assert periodic.jobs()["records.loans_overdue"]() == "0 reminded, 0 escalated"  # not due yet
    clock.set(dt.datetime(2026, 3, 6, 9, 0, tzinfo=clock.now().tzinfo))
    assert periodic.run_all()["records.loans_overdue"] == "1 reminded, 0 escalated"
    told = {n.person.user.username for n in notices("records.loan_overdue")}
    assert told == {"officer", "registrar"}  # the borrower and the officer who lent it
    assert "ขอเชิญประชุมคณะทำงาน" in notices("records.loan_overdue")[0].title
    assert periodic.run_all()["records.loans_overdue"] == "0 reminded, 0 escalated"  # once a day
    clock.advance(days=1)
    assert periodic.run_all()["records.loans_overdue"] == "1 reminded, 0 escalated"
    clock.set(dt.datetime(2026, 3, 13, 9, 0, tzinfo=clock.now().tzinfo))  # 7 days past the end of 5 Mar
    assert periodic.run_all()["records.loans_overdue"] == "0 reminded, 1 escalated"
    bosses = {n.person.user.username for n in notices("records.loan_escalated")}
    assert bosses == {"director", "permsec"}  # heads of กองกลาง and of the office above it
    clock.advance(days=1)
    periodic.run_all()
    assert Notification.objects.filter(event="records.loan_escalated").count() == 2  # escalated once only
    assert Loan.objects.get(pk=loan.pk).reminders == 4
    return_loan(user("registrar"), loan.pk, "นายกิตติศักดิ์ ขยันงาน")
    clock.advance(days=1)
    assert periodic.run_all()["records.loans_overdue"] == "0 reminded, 0 escalated"


def test_electronic_loans_expire_instead_of_being_chased(letters, clock) -> None:
    lend(user("registrar"), LoanRequest(letter_id=letters["normal"].pk, medium="electronic", scope="internal",
                                        due=dt.date(2026, 3, 4), purpose="อ่านประกอบ",
                                        borrower_id=person("officer").pk))
    clock.advance(days=10)
    assert periodic.run_all()["records.loans_overdue"] == "0 reminded, 0 escalated"


def test_classified_subject_never_in_a_reminder(letters, clock) -> None:
    letter = letters["confidential"]
    lend(user("secretary"), paper(letter, "ict-director", dt.date(2026, 3, 4)))
    clock.advance(days=12)
    assert periodic.run_all()["records.loans_overdue"] == "0 reminded, 1 escalated"
    made = list(Notification.objects.all())
    assert made and all(n.title == CLASSIFIED_TITLE and n.body == "" for n in made)
    words = " ".join([*(n.title + n.body for n in made), *(o.subject + o.body for o in Outbound.objects.all())])
    assert letter.subject not in words and "แผนรักษา" not in words
