import datetime as dt

import pytest

from saraban.kernel import clock
from saraban.kernel.ids import uuid7, uuid7_time_ms

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)


def test_year_is_bangkok_calendar_year() -> None:
    # 06:30 Bangkok on 1 Jan 2568 is still 31 Dec 2024 in UTC (§13.2)
    c = clock.MovableClock(dt.datetime(2024, 12, 31, 23, 30, tzinfo=dt.UTC))
    with clock.use_clock(c):
        assert clock.now().date() == dt.date(2024, 12, 31)
        assert clock.today() == dt.date(2025, 1, 1)
        assert clock.year_be() == 2568
        c.set(dt.datetime(2025, 9, 30, 17, 1, tzinfo=dt.UTC))  # 1 Oct 00:01 Bangkok: fiscal year, same year
        assert clock.year_be() == 2568


def test_movable_clock_is_restored() -> None:
    before = clock.get_clock()
    with clock.use_clock(clock.MovableClock(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))):
        assert clock.now().year == 2000
    assert clock.get_clock() is before


def test_offset_clock_starts_at_given_time_and_ticks() -> None:
    c = clock.OffsetClock(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    a = c.now()
    assert abs((a - dt.datetime(2030, 1, 1, tzinfo=dt.UTC)).total_seconds()) < 5
    assert c.now() >= a


def test_uuid7_is_version_7_and_monotonic() -> None:
    ids = [uuid7() for _ in range(5000)]
    assert all(u.version == 7 and u.variant == "specified in RFC 4122" for u in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert abs(uuid7_time_ms(ids[0]) / 1000 - dt.datetime.now(dt.UTC).timestamp()) < 5
