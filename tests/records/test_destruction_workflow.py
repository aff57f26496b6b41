"""§13.7 and R38–R41: filing, the yearly destruction list and every step of its workflow."""

from __future__ import annotations

import datetime as dt

import pytest

from saraban.audit.models import AuditEvent
from saraban.kernel.errors import SarabanError
from saraban.records.actions import destruction as d
from saraban.records.actions.filing import file_letter
from saraban.records.models import DestructionList, FileCode, Filing, ListState
from tests.fixtures import user

from .helpers import at, filed, letter, people, plan

pytestmark = pytest.mark.django_db


def _code(err: pytest.ExceptionInfo) -> str:
    return err.value.code  # type: ignore[no-any-return]


def test_one_year_letter_completed_2567_is_on_the_2568_list(org) -> None:
    agency = plan()
    leave = filed(dt.date(2024, 5, 2), "01.01", completed=dt.date(2024, 5, 10))  # 2567, routine: 1 year
    assert (leave.retention, leave.keep_until_be) == ("1y", 2568)
    assert leave not in d.due_filings(agency, 2567)
    with at(2026, 1, 15):  # 15 ม.ค. 2569: within 60 days after 31 ธ.ค. 2568
        dlist = d.make_destruction_list(user("registrar"), agency, 2568)
    assert [i.filing_id for i in dlist.items.all()] == [leave.pk]
    assert dlist.due_by == dt.date(2026, 3, 1) and not dlist.late
    assert Filing.objects.get(pk=leave.pk).state == "listed"


def test_ten_year_letter_dated_15_june_2557_is_due_for_2567_not_2566(org) -> None:
    agency = plan()
    general = filed(dt.date(2014, 6, 15), "01.02")
    assert general.keep_until_be == 2567
    assert general in d.due_filings(agency, 2567)
    assert general not in d.due_filings(agency, 2566)
    with at(2025, 1, 10), pytest.raises(SarabanError) as err:
        d.make_destruction_list(user("registrar"), agency, 2566)
    assert _code(err) == "nothing_due"
    with at(2025, 1, 10), pytest.raises(SarabanError) as err:
        d.make_destruction_list(user("registrar"), agency, 2568)  # the year has not ended
    assert _code(err) == "year_not_ended"


def test_permanent_never_listed(org) -> None:
    agency = plan()
    forever = filed(dt.date(2005, 3, 1), "02", subject="แผนพัฒนาดิจิทัล")
    assert forever.keep_until_be is None and forever.permanent
    assert all(forever not in d.due_filings(agency, y) for y in range(2548, 2700, 7))


def test_shortening_needs_a_recorded_authorisation(org) -> None:
    plan()
    lt = letter(dt.date(2024, 5, 2))
    general = FileCode.objects.get(agency=lt.agency, code="01.02")
    before = AuditEvent.objects.count()
    with at(2024, 6, 1), pytest.raises(SarabanError) as err:
        file_letter(user("registrar"), lt, general, retention="5y")
    assert _code(err) == "retention_shortened"
    assert not Filing.objects.filter(letter=lt).exists() and AuditEvent.objects.count() == before
    with at(2024, 6, 1):
        f = file_letter(user("registrar"), lt, general, retention="5y",
                        authorisation="หนังสือกระทรวงการคลัง ที่ กค 0402/1234 ลงวันที่ 1 มี.ค. 2567")
    assert f.keep_until_be == 2572 and f.authorisation.startswith("หนังสือกระทรวงการคลัง")


def test_filing_under_another_agencys_code_is_refused(org) -> None:
    plan()
    plan("onde")
    lt = letter(dt.date(2024, 5, 2))
    foreign = FileCode.objects.get(agency__code="onde", code="01.02")
    with at(2024, 6, 1), pytest.raises(SarabanError) as err:
        file_letter(user("registrar"), lt, foreign)
    assert _code(err) == "foreign_file_code" and err.value.status == 403
    assert not Filing.objects.filter(letter=lt).exists()


def _listed(agency) -> DestructionList:
    filed(dt.date(2024, 5, 2), "01.01")
    filed(dt.date(2024, 6, 2), "01.01", subject="ขอลากิจ")
    with at(2026, 1, 15):
        return d.make_destruction_list(user("registrar"), agency, 2568)


def test_two_person_committee_refused_three_accepted(org) -> None:
    agency = plan()
    dlist = _listed(agency)
    chair, m1, m2 = people("director", "registrar", "finance-registrar")
    with at(2026, 1, 20), pytest.raises(SarabanError) as err:
        d.appoint_committee(user("permsec"), dlist, chair, [m1])
    assert _code(err) == "committee_too_small"
    assert DestructionList.objects.get(pk=dlist.pk).state == ListState.DRAFT
    with at(2026, 1, 20), pytest.raises(SarabanError) as err:
        d.appoint_committee(user("registrar"), dlist, chair, [m1, m2])  # not the head
    assert _code(err) == "not_head"
    with at(2026, 1, 20), pytest.raises(SarabanError) as err:
        d.appoint_committee(user("permsec"), dlist, chair, [m1, m1])
    assert _code(err) == "committee_ineligible"
    with at(2026, 1, 20), pytest.raises(SarabanError) as err:  # someone of another agency
        d.appoint_committee(user("permsec"), dlist, chair, [m1, *people("onde-registrar")])
    assert _code(err) == "committee_ineligible"
    with at(2026, 1, 20):
        d.appoint_committee(user("permsec"), dlist, chair, [m1, m2], order_ref="คำสั่ง สป.ดศ. ที่ 5/2569")
    assert DestructionList.objects.get(pk=dlist.pk).state == ListState.COMMITTEE
    assert dlist.committee.count() == 3


def run_to_sent(agency, dlist: DestructionList, sent: dt.date = dt.date(2025, 4, 1)) -> DestructionList:
    """Committee, decisions (all destroy), signatures, approval and sending, each on its day."""
    chair, m1, m2 = people("director", "registrar", "finance-registrar")
    with at(sent.year, 1, 20):
        d.appoint_committee(user("permsec"), dlist, chair, [m1, m2])
        d.decide_items(user("director"), dlist, {str(i.pk): "destroy" for i in dlist.items.all()})
        for name in ("director", "registrar", "finance-registrar"):
            d.sign_list(user(name), dlist)
        d.approve_list(user("permsec"), dlist)
    with at(sent.year, sent.month, sent.day):
        return d.send_list(user("registrar"), dlist, sent, "ที่ ดศ 0201/123")


def test_destroying_before_every_step_and_before_consent_is_refused(org) -> None:
    agency = plan()
    filed(dt.date(2023, 5, 2), "01.01")  # 2566 → kept until 2567
    with at(2025, 1, 10):
        dlist = d.make_destruction_list(user("registrar"), agency, 2567)
        with pytest.raises(SarabanError) as err:
            d.destroy(user("registrar"), dlist)
    assert _code(err) == "wrong_step"
    chair, m1, m2 = people("director", "registrar", "finance-registrar")
    with at(2025, 1, 20):
        d.appoint_committee(user("permsec"), dlist, chair, [m1, m2])
        with pytest.raises(SarabanError) as err:
            d.sign_list(user("director"), dlist)
        assert _code(err) == "undecided"
        with pytest.raises(SarabanError) as err:
            d.approve_list(user("permsec"), dlist)
        assert _code(err) == "wrong_step"
        with pytest.raises(SarabanError) as err:
            d.decide_items(user("permsec"), dlist, {str(dlist.items.first().pk): "destroy"})
        assert _code(err) == "not_committee_member"
    dlist.refresh_from_db()
    run_rest = dlist.items.first()
    with at(2025, 1, 20):
        d.decide_items(user("director"), dlist, {str(run_rest.pk): "destroy"})
        for name in ("director", "registrar", "finance-registrar"):
            d.sign_list(user(name), dlist)
        d.approve_list(user("permsec"), dlist)
    with at(2025, 4, 1):
        d.send_list(user("registrar"), dlist, dt.date(2025, 4, 1))
    dlist.refresh_from_db()
    assert dlist.consent_on == dt.date(2025, 5, 31)
    with at(2025, 5, 30), pytest.raises(SarabanError) as err:
        d.destroy(user("registrar"), dlist)
    assert _code(err) == "no_consent_yet"
    assert Filing.objects.get(letter__subject="ขอลาพักผ่อน").state == "listed"
    with at(2025, 5, 31):
        d.destroy(user("registrar"), dlist)
    assert Filing.objects.get(letter__subject="ขอลาพักผ่อน").state == "destroyed"


def test_kept_item_returns_with_its_new_period(org) -> None:
    agency = plan()
    dlist = _listed(agency)
    first, second = list(dlist.items.all())
    chair, m1, m2 = people("director", "registrar", "finance-registrar")
    with at(2026, 1, 20):
        d.appoint_committee(user("permsec"), dlist, chair, [m1, m2])
        with pytest.raises(SarabanError) as err:
            d.decide_items(user("registrar"), dlist, {str(first.pk): "keep"})  # no new period
        assert _code(err) == "invalid_input"
        d.decide_items(user("registrar"), dlist, {str(first.pk): "keep", str(second.pk): "destroy"},
                       new_keep_until={str(first.pk): 2573})
        for name in ("director", "registrar", "finance-registrar"):
            d.sign_list(user(name), dlist)
        d.approve_list(user("permsec"), dlist)
    kept = Filing.objects.get(pk=first.filing_id)
    assert (kept.state, kept.keep_until_be) == ("kept", 2573)


def test_a_letter_still_being_worked_on_cannot_be_filed(org) -> None:
    from saraban.routing import actions as routing
    from saraban.routing.resolve import Target

    plan()
    lt = letter(dt.date(2024, 5, 2), "เรื่องที่ยังดำเนินการอยู่")
    with at(2024, 5, 3):
        routing.distribute(user("registrar"), lt, [Target(unit="ops-finance")])
        with pytest.raises(SarabanError) as err:
            file_letter(user("registrar"), lt, FileCode.objects.get(agency=lt.agency, code="01.02"))
    assert _code(err) == "not_completed" and not Filing.objects.filter(letter=lt).exists()
