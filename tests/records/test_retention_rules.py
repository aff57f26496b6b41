"""§13.7: the retention arithmetic, pinned down without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from saraban.records import retention as rt

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)


def test_consent_date_sent_1_april_2568_is_31_may_2568() -> None:
    sent = dt.date(2025, 4, 1)  # 1 เม.ย. 2568
    assert rt.consent_date(sent) == dt.date(2025, 5, 31)  # 31 พ.ค. 2568
    # the day of sending is not counted: 60 days of silence end on the 60th day after it
    assert (rt.consent_date(sent) - sent).days == 60
    assert rt.consent_date(dt.date(2024, 1, 1)) == dt.date(2024, 3, 1)  # leap year: 29 Feb counts


def test_list_window_is_60_days_after_31_december() -> None:
    assert rt.list_window(2568) == (dt.date(2026, 1, 1), dt.date(2026, 3, 1))  # 1 ม.ค.–1 มี.ค. 2569
    assert rt.list_window(2566)[1] == dt.date(2024, 2, 29)  # a leap February


def test_one_year_letter_completed_2567_is_due_on_the_2568_list() -> None:
    until = rt.keep_until_be("1y", 2567)
    assert until == 2568
    assert rt.due_for_destruction(until, 2568) and not rt.due_for_destruction(until, 2567)


def test_ten_year_letter_of_2557_is_due_for_2567_not_2566() -> None:
    until = rt.keep_until_be("10y", rt.be(dt.date(2014, 6, 15).year))
    assert until == 2567
    assert rt.due_for_destruction(until, 2567)
    assert not rt.due_for_destruction(until, 2566)


def test_permanent_is_never_due_but_reaches_twenty_years() -> None:
    assert rt.keep_until_be("permanent", 2548) is None
    assert not any(rt.due_for_destruction(None, y) for y in range(2500, 2700))
    assert rt.reaches_handover(dt.date(2005, 3, 1), 2568)  # 2548 + 20
    assert not rt.reaches_handover(dt.date(2005, 3, 1), 2567)


def test_shortening() -> None:
    assert rt.shortens("1y", "10y") and rt.shortens("5y", "10y") and not rt.shortens("10y", "5y")
    assert rt.shortens("10y", "permanent") and not rt.shortens("permanent", "10y")
    assert rt.shortens("special", "10y", special_years=3) and not rt.shortens("special", "10y", special_years=15)
