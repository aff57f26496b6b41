"""Working days with the real 2569 (2026) government holiday list shipped as data."""

from __future__ import annotations

import datetime as dt

import pytest

from saraban.kernel.clock import BANGKOK
from saraban.kernel.errors import PermissionDenied
from saraban.routing import actions as routing
from saraban.routing import calendar
from saraban.routing.models import Holiday
from saraban.routing.resolve import Target
from tests.fixtures import user

from .helpers import registered

pytestmark = pytest.mark.django_db

D = dt.date


def test_the_shipped_list_is_loaded_with_its_source(db) -> None:
    days = set(Holiday.objects.filter(day__year=2026).values_list("day", flat=True))
    assert {D(2026, 1, 1), D(2026, 1, 2), D(2026, 3, 3), D(2026, 4, 6), D(2026, 4, 13), D(2026, 4, 14),
            D(2026, 4, 15), D(2026, 5, 4), D(2026, 6, 1), D(2026, 6, 3), D(2026, 7, 28), D(2026, 7, 29),
            D(2026, 7, 30), D(2026, 8, 12), D(2026, 10, 13), D(2026, 10, 23), D(2026, 12, 7), D(2026, 12, 10),
            D(2026, 12, 31)} <= days
    assert D(2026, 5, 1) not in days  # Labour Day: not a government holiday
    assert D(2026, 6, 2) not in days and D(2026, 7, 31) not in days  # proposed, withdrawn by the Cabinet
    text = (calendar.DATA_DIR / "holidays_2569.toml").read_text()
    assert "Cabinet" in text and "2025-12-02" in text


@pytest.mark.parametrize(("friday", "n", "due"), [
    (D(2026, 4, 3), 1, D(2026, 4, 7)),     # Monday 6 April: Chakri Day
    (D(2026, 4, 10), 3, D(2026, 4, 20)),   # 13–15 April: Songkran
    (D(2026, 5, 29), 3, D(2026, 6, 5)),    # Visakha on Sunday 31 May → Monday 1 June; 3 June Queen's birthday
    (D(2026, 7, 24), 2, D(2026, 7, 31)),   # 28, 29, 30 July
    (D(2026, 12, 4), 1, D(2026, 12, 8)),   # 5 December on Saturday → Monday 7 December
    (D(2026, 3, 6), 5, D(2026, 3, 13)),    # no holiday: a plain week
])
def test_due_in_working_days_from_a_friday(db, friday: dt.date, n: int, due: dt.date) -> None:
    assert friday.weekday() == 4
    assert calendar.add_working_days(friday, n) == due
    assert calendar.working_days_between(friday, due) == n


def test_assignment_made_on_the_friday_before_songkran(org, clock) -> None:
    clock.set(dt.datetime(2026, 4, 10, 16, 30, tzinfo=BANGKOK))
    entry = registered()
    [step] = routing.assign(user("registrar"), entry.letter, [Target(person="officer")], instruction="ดำเนินการ",
                            working_days=3)
    assert step.due_date == D(2026, 4, 20)
    entry.refresh_from_db()
    assert "กำหนดเสร็จ 20 เม.ย. 69" in entry.action_text


def test_the_administrator_edits_the_calendar(org, clock) -> None:
    admin, officer = user("admin"), user("officer")
    assert calendar.add_working_days(D(2026, 5, 8), 1) == D(2026, 5, 11)
    with pytest.raises(PermissionDenied):
        routing.add_holiday(officer, D(2026, 5, 11), "วันพืชมงคล")
    routing.add_holiday(admin, D(2026, 5, 11), "วันพระราชพิธีพืชมงคลจรดพระนังคัลแรกนาขวัญ", kind="official")
    assert calendar.add_working_days(D(2026, 5, 8), 1) == D(2026, 5, 12)
    routing.remove_holiday(admin, D(2026, 5, 11))
    assert calendar.add_working_days(D(2026, 5, 8), 1) == D(2026, 5, 11)


def test_command_counts_working_days(db) -> None:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("routing", "working-days", "3", "10/4/2569", stdout=out)
    assert out.getvalue().strip() == "3 working days after 10 เมษายน 2569: 20 เมษายน 2569"
