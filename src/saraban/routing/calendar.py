"""Working days: Monday to Friday, less the government holidays in :class:`~.models.Holiday`.

The holiday list is data: each year's official list ships in ``data/holidays_<B.E.>.toml`` (loaded by the
migration and by ``saraban routing holidays-load``) and the administrator edits it (add the Royal
Ploughing day, a special holiday the Cabinet declares, a local holiday).

A due date "in N working days" is the N-th working day *after* the day of assignment: work handed over on
Friday afternoon before a long weekend is not due on the holiday.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
MAX_WORKING_DAYS = 365


def shipped_files() -> list[Path]:
    return sorted(DATA_DIR.glob("holidays_*.toml"))


def read_file(path: Path) -> dict[str, Any]:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def holidays_between(start: dt.date, end: dt.date) -> set[dt.date]:
    from .models import Holiday

    return set(Holiday.objects.filter(day__gte=start, day__lte=end).values_list("day", flat=True))


def is_working_day(day: dt.date, holidays: Iterable[dt.date] | None = None) -> bool:
    if day.weekday() >= 5:
        return False
    days = set(holidays) if holidays is not None else holidays_between(day, day)
    return day not in days


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` (``n`` ≥ 1); ``n`` = 0 gives ``start`` itself."""
    if n < 0 or n > MAX_WORKING_DAYS:
        raise ValueError(f"working days out of range: {n}")
    if n == 0:
        return start
    # enough calendar days for n working days even around the longest holiday runs
    horizon = start + dt.timedelta(days=n * 2 + 30)
    holidays = holidays_between(start, horizon)
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        if day > horizon:
            horizon = day + dt.timedelta(days=60)
            holidays |= holidays_between(day, horizon)
        if is_working_day(day, holidays):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    holidays = holidays_between(start, end)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count
