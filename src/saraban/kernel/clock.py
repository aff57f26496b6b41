"""The one clock service.  Nothing else in Saraban calls ``datetime.now()``.

Time is stored in UTC; "today", the B.E. year and every date shown to people are computed in
Asia/Bangkok.  Tests move the clock with :func:`use_clock` or :class:`MovableClock`; a process can also be
started with ``SARABAN_CLOCK_AT`` (an ISO instant) to begin at a fixed time that then ticks on, which is
how browser and multi-process tests pin the date.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Iterator
from typing import Protocol
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")
UTC = dt.UTC


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(UTC)


class OffsetClock:
    """Wall clock shifted so that it read ``start`` when created; it keeps ticking."""

    def __init__(self, start: dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self._offset = start - dt.datetime.now(UTC)

    def now(self) -> dt.datetime:
        return dt.datetime.now(UTC) + self._offset


class MovableClock:
    """A clock that only moves when told to (for tests)."""

    def __init__(self, start: dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> dt.datetime:
        with self._lock:
            return self._now

    def set(self, when: dt.datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("when must be timezone-aware")
        with self._lock:
            self._now = when.astimezone(UTC)

    def advance(self, **delta: float) -> None:
        with self._lock:
            self._now += dt.timedelta(**delta)


def _initial_clock() -> Clock:
    at = os.environ.get("SARABAN_CLOCK_AT")
    if at:
        return OffsetClock(dt.datetime.fromisoformat(at))
    return SystemClock()


_clock: Clock = _initial_clock()


def get_clock() -> Clock:
    return _clock


def set_clock(clock: Clock) -> None:
    global _clock
    _clock = clock


@contextlib.contextmanager
def use_clock(clock: Clock) -> Iterator[Clock]:
    previous = get_clock()
    set_clock(clock)
    try:
        yield clock
    finally:
        set_clock(previous)


def now() -> dt.datetime:
    """The current instant in UTC."""
    return _clock.now()


def now_bkk() -> dt.datetime:
    """The current instant in Asia/Bangkok."""
    return _clock.now().astimezone(BANGKOK)


def today() -> dt.date:
    """Today's date in Asia/Bangkok."""
    return now_bkk().date()


def to_bkk(instant: dt.datetime) -> dt.datetime:
    if instant.tzinfo is None:
        raise ValueError("naive datetime: Saraban only handles aware instants")
    return instant.astimezone(BANGKOK)


def year_ce(instant: dt.datetime | None = None) -> int:
    """The calendar year (C.E.) in Bangkok at ``instant`` (default: now)."""
    return to_bkk(instant or now()).year


def year_be(instant: dt.datetime | None = None) -> int:
    """The calendar year in B.E. in Bangkok at ``instant`` (default: now)."""
    return year_ce(instant) + 543
