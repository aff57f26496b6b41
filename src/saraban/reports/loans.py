"""The loan register (form 24, บัตรยืมหนังสือ as a register; R44, R53): print in the official columns, export.

Columns: ลำดับที่, รายการ (the letter's title with its file code), ผู้ยืม (name or position and agency), ผู้รับ,
วันยืม, กำหนดส่งคืน, ผู้ส่งคืน, วันส่งคืน, ผู้อนุมัติ, หมายเหตุ.  Dates are B.E.  A classified letter's title is
printed only for a reader with need-to-know; the rows are ordered by due date, as the cards are filed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.template.loader import render_to_string

from saraban.access.principal import Principal
from saraban.kernel import clock
from saraban.kernel.thai import format_date, format_datetime
from saraban.letterpress.html_pdf import font_css, html_to_pdf
from saraban.records.models import Loan, LoanMedium
from saraban.records.policy import visible_loans_q

from .dashboard import subject_for
from .tables import Table, to_csv, to_xlsx

HEADERS = ["ลำดับที่", "รายการ", "ผู้ยืม", "ผู้รับ", "วันยืม", "กำหนดส่งคืน", "ผู้ส่งคืน", "วันส่งคืน", "ผู้อนุมัติ",
           "หมายเหตุ"]
TITLE = "ทะเบียนการยืมหนังสือ"
SHORT_MEDIUM = {"electronic": "ฉบับอิเล็กทรอนิกส์", "paper": "ต้นฉบับ", "copy": "สำเนาถูกต้อง"}


def loans_of_year(p: Principal, year_be: int) -> list[Loan]:
    start = dt.datetime(year_be - 543, 1, 1, tzinfo=clock.BANGKOK)
    end = dt.datetime(year_be - 542, 1, 1, tzinfo=clock.BANGKOK)
    return list(Loan.objects.filter(visible_loans_q(p), lent_at__gte=start, lent_at__lt=end)
                .select_related("letter", "agency").order_by("due_at", "created_at"))


def _remark(loan: Loan, now: dt.datetime) -> str:
    parts = [SHORT_MEDIUM[loan.medium]]
    if loan.medium == LoanMedium.ELECTRONIC and loan.returned_at is None and now >= loan.due_at:
        parts.append("สิทธิ์หมดอายุแล้ว")
    elif loan.is_overdue(now):
        parts.append("เกินกำหนดส่งคืน")
    if loan.letter.is_classified:
        parts.append(loan.letter.get_secrecy_display())
    return " ".join(parts)


def row(p: Principal, n: int, loan: Loan, now: dt.datetime) -> list[str]:
    item = subject_for(p, loan.letter) + (f" (รหัสแฟ้ม {loan.file_code})" if loan.file_code else "")
    borrower = " ".join(x for x in (loan.borrower_name, loan.borrower_position) if x) + f" {loan.borrower_agency}"
    due = format_date(loan.due_at - dt.timedelta(microseconds=1), style="abbr")
    approver = " ".join(x for x in (loan.approver_name, loan.approver_position) if x)
    returned = format_date(loan.returned_at, style="abbr") if loan.returned_at else ""
    return [str(n), item, borrower, loan.receiver_name, format_date(loan.lent_at, style="abbr"), due,
            loan.returner_name, returned, approver, _remark(loan, now)]


def table(p: Principal, loans: Sequence[Loan], year_be: int) -> Table:
    now = clock.now()
    return Table(f"{TITLE} พ.ศ. {year_be}", HEADERS, [row(p, i, x, now) for i, x in enumerate(loans, start=1)],
                 sheet=f"แบบที่ 24 {year_be}")


def export(p: Principal, year_be: int, fmt: str, *, agency: str = "") -> bytes:
    loans = loans_of_year(p, year_be)
    t = table(p, loans, year_be)
    if fmt == "csv":
        return to_csv([t])
    if fmt == "xlsx":
        return to_xlsx([t])
    secrecy = "ลับมาก" if any(x.letter.secrecy == "secret" and subject_for(p, x.letter) == x.letter.subject
                              for x in loans) else ""
    secrecy = secrecy or ("ลับ" if any(x.letter.is_classified and subject_for(p, x.letter) == x.letter.subject
                                       for x in loans) else "")
    html = render_to_string("reports/loans.html", {
        "font_css": font_css(), "title": t.title, "headers": HEADERS, "rows": t.rows, "agency": agency,
        "printed": format_datetime(clock.now(), style="full"), "secrecy": secrecy, "year": year_be,
    })
    return html_to_pdf(html)
