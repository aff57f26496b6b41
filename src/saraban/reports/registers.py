"""Registers on paper and in spreadsheets: the official eight columns (forms 13 and 14)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from itertools import groupby

from django.template.loader import render_to_string

from saraban.kernel import clock
from saraban.kernel.thai import MONTHS_FULL, digits, format_date, format_datetime, format_time, format_user_date
from saraban.letterpress.html_pdf import font_css, html_to_pdf
from saraban.records.queries import destroyed_mark, destroyed_marks
from saraban.registry.books import SECRET_BOOKS, BookKind
from saraban.registry.models import RegisterEntry
from saraban.registry.queries import Register

NUMBER_HEADER = {
    BookKind.RECEIVED: "เลขทะเบียนรับ", BookKind.SECRET_RECEIVED: "เลขทะเบียนรับ",
    BookKind.SENT: "เลขทะเบียนส่ง", BookKind.SECRET_SENT: "เลขทะเบียนส่ง",
}
COLUMNS = ["ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ", "หมายเหตุ"]
URGENCY_TH = {"normal": "", "urgent": "ด่วน", "very_urgent": "ด่วนมาก", "most_urgent": "ด่วนที่สุด"}
SECRECY_TH = {"normal": "", "confidential": "ลับ", "secret": "ลับมาก", "top_secret": "ลับที่สุด"}


def headers(kind: str) -> list[str]:
    return [NUMBER_HEADER.get(kind, "เลขทะเบียน"), *COLUMNS]


def remark_text(e: RegisterEntry) -> str:
    parts = [URGENCY_TH.get(e.urgency, ""), SECRECY_TH.get(e.secrecy, ""), e.remark]
    if e.cancelled:
        parts.append(f"ยกเลิก: {e.cancel_reason}")
    if not e._state.adding:  # the number stays in the book, marked destroyed (ข้อ 70)
        mark = getattr(e, "destroyed_mark", None)
        parts.append(destroyed_mark(e.letter_id) if mark is None else mark)
    return " ".join(p for p in parts if p)


def with_marks(entries: Iterable[RegisterEntry]) -> list[RegisterEntry]:
    """The entries, each knowing whether its letter was destroyed (one query for them all)."""
    rows = list(entries)
    marks = destroyed_marks([e.letter_id for e in rows if not e._state.adding])
    for e in rows:
        e.destroyed_mark = marks.get(e.letter_id, "")  # type: ignore[attr-defined]
    return rows


def row(e: RegisterEntry, digit_style: str = "arabic") -> list[str]:
    return [
        digits(str(e.number), digit_style),  # type: ignore[arg-type]
        e.ref,
        format_date(e.letter_date, style="abbr", digit_style=digit_style) if e.letter_date else "",  # type: ignore[arg-type]
        e.from_text, e.to_text, e.subject, e.action_text, remark_text(e),
    ]


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""A cell starting with one of these (after blanks) is read as a formula by Excel, LibreOffice or Sheets."""
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9๐-๙]+([.,][0-9๐-๙]+)*")


def is_formula_like(value: str) -> bool:
    """Would a spreadsheet read ``value`` as a formula?  A lone ``-`` and a plain signed number would not."""
    head = value.lstrip(" ")
    return bool(head) and head.startswith(FORMULA_TRIGGERS) and head != "-" and not _PLAIN_NUMBER.fullmatch(head)


def csv_cell(value: str) -> str:
    """OWASP's neutralising of CSV injection: a formula-like cell is prefixed with ``'``, which spreadsheets
    take as "this is text" and do not show; the words themselves are unchanged."""
    return "'" + value if is_formula_like(value) else value


def export_name(register: Register) -> str:
    """A register's file name as staff would write it: ``ทะเบียนหนังสือรับ สารบรรณกลาง พ.ศ. 2569``."""
    unit = register.unit.short_name_th or register.unit.name_th
    return f"{register.kind_label} {unit} พ.ศ. {register.year_be}"


def registered_when(e: RegisterEntry) -> str:
    """When an entry was registered, as a Thai reader writes it: ``27/11/2569 09:05`` (B.E., Bangkok time)."""
    return f"{format_user_date(clock.to_bkk(e.registered_at).date())} {format_time(e.registered_at)}"


def to_csv(register: Register) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, quoting=csv.QUOTE_ALL)
    w.writerow([*headers(register.kind), "เวลาลงทะเบียน", "ยกเลิก"])
    for e in with_marks(register.entries):
        w.writerow([*(csv_cell(v) for v in row(e)), registered_when(e),
                    "ยกเลิก" if e.cancelled else ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens Thai correctly


def to_xlsx(register: Register) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = f"{register.kind}-{register.year_be}"[:31]
    ws.append([f"{register.kind_label} {register.unit.name_th} พ.ศ. {register.year_be}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([*headers(register.kind), "เวลาลงทะเบียน"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F5")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for e in with_marks(register.entries):
        values = row(e)
        values[0] = e.number  # a real number in the spreadsheet
        ws.append([*values, format_datetime(e.registered_at)])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and (cell.data_type == "f" or is_formula_like(cell.value)):
                cell.data_type = "s"  # text exactly as written, never a formula (openpyxl makes "=…" one)
                cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
            if e.cancelled:
                cell.font = Font(strike=True, color="888888")
    for letter, width in zip("ABCDEFGHI", (10, 20, 14, 28, 28, 45, 32, 24, 20), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _day_heading(kind: str, day) -> str:  # type: ignore[no-untyped-def]
    titles: dict[str, str] = {BookKind.RECEIVED: "ทะเบียนหนังสือรับ", BookKind.SENT: "ทะเบียนหนังสือส่ง"}
    title = titles.get(
        kind, BookKind(kind).label)  # the secret books keep their own names (ทะเบียนรับหนังสือลับ…)
    return f"{title} วันที่ {day.day} เดือน {MONTHS_FULL[day.month - 1]} พ.ศ. {day.year + 543}"


def secrecy_mark(kind: str, rows: Iterable[RegisterEntry]) -> str:
    """The red mark a printed secret register carries at the top and bottom of every page: the
    highest class among its rows (ลับมาก or ลับ); an ordinary register has none."""
    if kind not in SECRET_BOOKS:
        return ""
    return "ลับมาก" if any(e.secrecy == "secret" for e in rows) else "ลับ"


def to_pdf(register: Register, entries: Iterable[RegisterEntry] | None = None, digit_style: str = "arabic") -> bytes:
    """Print in the official layout: one section per registration day, headed with its date."""
    rows = with_marks(entries if entries is not None else register.entries)
    days = []
    for day, group in groupby(rows, key=lambda e: clock.to_bkk(e.registered_at).date()):
        items = list(group)
        days.append({
            "heading": digits(_day_heading(register.kind, day), digit_style),  # type: ignore[arg-type]
            "rows": [{"cells": row(e, digit_style), "cancelled": e.cancelled,
                      "time": format_time(e.registered_at, digit_style=digit_style)} for e in items],  # type: ignore[arg-type]
        })
    html = render_to_string("reports/register.html", {
        "font_css": font_css(), "register": register, "headers": headers(register.kind), "days": days,
        "agency": register.unit.agency.name_th, "unit": register.unit.name_th,
        "printed": format_datetime(clock.now(), style="full"),
        "year": digits(str(register.year_be), digit_style),  # type: ignore[arg-type]
        "secrecy": secrecy_mark(register.kind, rows),
    })
    return html_to_pdf(html)
