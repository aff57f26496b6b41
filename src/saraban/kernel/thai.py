"""Thai dates (B.E.), Thai/Arabic digits and digit-insensitive normalisation."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Literal

from .clock import to_bkk

Digits = Literal["arabic", "thai"]

MONTHS_FULL = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
MONTHS_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
MONTHS_EN_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"
_TO_THAI = str.maketrans(ARABIC_DIGITS, THAI_DIGITS)
_TO_ARABIC = str.maketrans(THAI_DIGITS, ARABIC_DIGITS)
BE_OFFSET = 543


def to_thai_digits(text: str) -> str:
    return text.translate(_TO_THAI)


def to_arabic_digits(text: str) -> str:
    return text.translate(_TO_ARABIC)


def digits(text: str, style: Digits) -> str:
    """Render ``text`` with the digits of ``style``."""
    return to_thai_digits(text) if style == "thai" else to_arabic_digits(text)


_SPACES = re.compile(r"\s+")
_JOINS_PREVIOUS = frozenset("\u0e33\u0eb3\u200c\u200d")  # SARA AM (a spacing mark), ZWNJ, ZWJ


def joins_previous(ch: str) -> bool:
    """Whether ``ch`` belongs to the grapheme of the character before it (a Thai vowel or tone mark,
    a combining mark, SARA AM, a joiner): text must never be cut just before it."""
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch in _JOINS_PREVIOUS


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, never inside a grapheme (``พ่วงทรัพย์`` keeps its ``์``)."""
    if len(text) <= limit:
        return text
    end = limit
    while end > 0 and joins_previous(text[end]):
        end -= 1
    return text[:end].rstrip()


def normalize(text: str) -> str:
    """Digit-, width- and whitespace-insensitive form of ``text`` for comparing and searching.

    Thai digits become Arabic, Unicode is NFC, runs of whitespace become one space, Latin letters are
    lower-cased.  Thai text is otherwise kept as it is.
    """
    text = unicodedata.normalize("NFKC", text)
    text = to_arabic_digits(text)
    text = _SPACES.sub(" ", text).strip()
    return text.lower()


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def ce_year(be: int) -> int:
    return be - BE_OFFSET


def format_date(
    day: dt.date | dt.datetime,
    *,
    style: Literal["full", "abbr", "memo"] = "full",
    digit_style: Digits = "arabic",
) -> str:
    """A date in Thai with the B.E. year.

    ``full``: ``25 พฤษภาคม 2564`` (external letters, orders, announcements);
    ``abbr``: ``25 พ.ค. 2564`` (registers);
    ``memo``: ``25 พ.ค. 64`` (memo style, two-digit year).
    """
    if isinstance(day, dt.datetime):
        day = to_bkk(day).date()
    year = be_year(day.year)
    if style == "full":
        text = f"{day.day} {MONTHS_FULL[day.month - 1]} {year}"
    elif style == "abbr":
        text = f"{day.day} {MONTHS_ABBR[day.month - 1]} {year}"
    elif style == "memo":
        text = f"{day.day} {MONTHS_ABBR[day.month - 1]} {year % 100:02d}"
    else:  # pragma: no cover - Literal guards it
        raise ValueError(style)
    return digits(text, digit_style)


def format_time(instant: dt.datetime, *, digit_style: Digits = "arabic") -> str:
    """Bangkok time as written on Thai forms: ``10.42 น.``"""
    local = to_bkk(instant)
    return digits(f"{local.hour:02d}.{local.minute:02d} น.", digit_style)


def format_datetime(instant: dt.datetime, *, style: Literal["full", "abbr", "memo"] = "abbr",
                    digit_style: Digits = "arabic") -> str:
    day = format_date(instant, style=style, digit_style=digit_style)
    return f"{day} {format_time(instant, digit_style=digit_style)}"


def format_date_en(day: dt.date | dt.datetime) -> str:
    if isinstance(day, dt.datetime):
        day = to_bkk(day).date()
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def format_date_en_abbr(day: dt.date | dt.datetime) -> str:
    """A B.E. date for English pages: ``27 Nov 2569`` (the year stays Buddhist Era, as on every Thai paper)."""
    if isinstance(day, dt.datetime):
        day = to_bkk(day).date()
    return f"{day.day} {MONTHS_EN_ABBR[day.month - 1]} {be_year(day.year)}"


_DATE_RE = re.compile(r"^\s*(\d{1,2})\s+(\S+)\s+(\d{2,4})\s*$")


def parse_thai_date(text: str) -> dt.date:
    """Parse ``25 พฤษภาคม 2564`` / ``25 พ.ค. 2564`` / ``๒๕ พ.ค. ๖๔`` into a date."""
    m = _DATE_RE.match(to_arabic_digits(text))
    if not m:
        raise ValueError(f"not a Thai date: {text!r}")
    day, month_name, year_text = m.groups()
    if month_name in MONTHS_FULL:
        month = MONTHS_FULL.index(month_name) + 1
    elif month_name in MONTHS_ABBR:
        month = MONTHS_ABBR.index(month_name) + 1
    else:
        raise ValueError(f"unknown Thai month: {month_name!r}")
    year = int(year_text)
    if len(year_text) == 2:
        year += 2500
    return dt.date(ce_year(year), month, int(day))


_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_SLASHED = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2,4})\s*$")


def parse_user_date(text: str) -> dt.date:
    """A date as people type it: ``5/1/2569`` (B.E.), ``05/01/2026`` (C.E.), ``5 ม.ค. 2569``, ``๕/๑/๒๕๖๙``
    or ISO in either era (``2026-01-05``, ``2569-01-05``).  Years above 2400 are B.E.; two-digit years are B.E.
    (``69`` = 2569)."""
    raw = to_arabic_digits(text).strip()
    iso = _ISO.match(raw)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        return dt.date(year - BE_OFFSET if year > 2400 else year, month, day)
    m = _SLASHED.match(raw)
    if m:
        day, month, year = (int(g) for g in m.groups())
        if year < 100:
            year += 2500
        if year > 2400:
            year -= BE_OFFSET
        return dt.date(year, month, day)
    return parse_thai_date(raw)


def format_user_date(day: dt.date | None) -> str:
    """The form-field form of a date: ``5/1/2569``."""
    return f"{day.day}/{day.month}/{be_year(day.year)}" if day else ""
