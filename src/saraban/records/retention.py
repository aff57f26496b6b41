"""Retention arithmetic of the regulation (ข้อ 57, 58, 66, 69): pure functions on dates and B.E. years.

Nothing here touches Django or the clock, so each rule can be pinned down by a test on its own.

Counting convention (regulation.md §11 point 6 leaves it open): a letter filed with an *n*-year class is
kept until B.E. ``base + n``, where ``base`` is the B.E. year the matter was completed (default) or the
year the letter is dated (``count_from="dated"``).  It becomes due on the destruction list *for* the year
``keep_until`` — the list surveyed within 60 days after 31 December of that year.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

BE_OFFSET = 543
LIST_DAYS = 60  # ข้อ 66: the list is made within 60 days after the end of the calendar year
CONSENT_DAYS = 60  # ข้อ 69: the Fine Arts Department's silence for 60 days counts as consent
HANDOVER_YEARS = 20  # ข้อ 58 (as amended 2548): letters 20 years old go to the National Archives


class Retention(StrEnum):
    ONE = "1y"
    FIVE = "5y"
    TEN = "10y"
    PERMANENT = "permanent"
    SPECIAL = "special"


YEARS: dict[str, int | None] = {"1y": 1, "5y": 5, "10y": 10, "permanent": None, "special": None}
LABEL_TH = {"1y": "1 ปี", "5y": "5 ปี", "10y": "10 ปี", "permanent": "เก็บตลอดไป (ห้ามทำลาย)",
            "special": "ตามกฎหมายเฉพาะ"}
LABEL_EN = {"1y": "1 year", "5y": "5 years", "10y": "10 years", "permanent": "Permanent (do not destroy)",
            "special": "Per a special law"}
DEFAULT = Retention.TEN


def be(year_ce: int) -> int:
    return year_ce + BE_OFFSET


def period_years(retention: str, special_years: int | None = None) -> int | None:
    """Years kept: ``None`` for permanent (and for a special law that gives no number of years)."""
    if retention == Retention.SPECIAL:
        return special_years
    return YEARS[retention]


def shortens(retention: str, minimum: str, special_years: int | None = None,
             minimum_special_years: int | None = None) -> bool:
    """Is ``retention`` shorter than ``minimum``?  Permanent is the longest; a special law with no number of
    years counts as permanent (kept as the law says, never put on a list by us)."""
    mine = period_years(retention, special_years)
    floor = period_years(minimum, minimum_special_years)
    if floor is None:
        return mine is not None
    return mine is not None and mine < floor


def keep_until_be(retention: str, base_year_be: int, special_years: int | None = None) -> int | None:
    """B.E. year the letter is kept until ("เก็บถึง พ.ศ. …"); ``None`` means ห้ามทำลาย."""
    years = period_years(retention, special_years)
    return None if years is None else base_year_be + years


def due_for_destruction(keep_until: int | None, list_year_be: int) -> bool:
    """Does an item kept until ``keep_until`` belong on the destruction list for ``list_year_be``?"""
    return keep_until is not None and keep_until <= list_year_be


def list_window(list_year_be: int) -> tuple[dt.date, dt.date]:
    """First and last day to make the list for a year: 1 January to 60 days after 31 December."""
    dec31 = dt.date(list_year_be - BE_OFFSET, 12, 31)
    return dec31 + dt.timedelta(days=1), dec31 + dt.timedelta(days=LIST_DAYS)


def consent_date(sent_on: dt.date) -> dt.date:
    """The day a list sent to the Fine Arts Department on ``sent_on`` counts as agreed to, without reply.

    The day of sending is not counted; silence through the 60 following days is consent, so the items may
    be destroyed from the 60th day on: sent 1 Apr 2568 → destroyable on 31 May 2568 (§13.7)."""
    return sent_on + dt.timedelta(days=CONSENT_DAYS)


def handover_year_be(letter_date: dt.date) -> int:
    """The B.E. year a letter dated ``letter_date`` reaches 20 years (counted from its date, ข้อ 58)."""
    return be(letter_date.year) + HANDOVER_YEARS


def reaches_handover(letter_date: dt.date | None, year_be: int) -> bool:
    return letter_date is not None and handover_year_be(letter_date) == year_be
