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
from saraban.kernel.thai import format_date, format_date_en_abbr, format_datetime
from saraban.letterpress.html_pdf import font_css, html_to_pdf
from saraban.records.models import Loan, LoanMedium
from saraban.records.policy import visible_loans_q

from .dashboard import SUBJECT_EN, subject_for
from .tables import Table, to_csv, to_xlsx

HEADERS = ["ลำดับที่", "รายการ", "ผู้ยืม", "ผู้รับ", "วันยืม", "กำหนดส่งคืน", "ผู้ส่งคืน", "วันส่งคืน", "ผู้อนุมัติ",
           "หมายเหตุ"]
TITLE = "ทะเบียนการยืมหนังสือ"
SHORT_MEDIUM = {"electronic": "ฉบับอิเล็กทรอนิกส์", "paper": "ต้นฉบับ", "copy": "สำเนาถูกต้อง"}
# the English UI's page (the print and the exports stay in the official Thai columns)
HEADERS_EN = ["No.", "Item", "Borrower", "Received by", "Lent", "Due back", "Returned by", "Returned on",
              "Approved by", "Remark"]
TITLE_EN = "Loan register"
SHORT_MEDIUM_EN = {"electronic": "Electronic", "paper": "Original", "copy": "Certified copy"}
SECRECY_EN = {"confidential": "Confidential", "secret": "Secret", "top_secret": "Top secret"}


def loans_of_year(p: Principal, year_be: int) -> list[Loan]:
    start = dt.datetime(year_be - 543, 1, 1, tzinfo=clock.BANGKOK)
    end = dt.datetime(year_be - 542, 1, 1, tzinfo=clock.BANGKOK)
    return list(Loan.objects.filter(visible_loans_q(p), lent_at__gte=start, lent_at__lt=end)
                .select_related("letter", "agency").order_by("due_at", "created_at"))


def _remark(loan: Loan, now: dt.datetime, en: bool = False) -> str:
    parts = [(SHORT_MEDIUM_EN if en else SHORT_MEDIUM)[loan.medium]]
    if loan.medium == LoanMedium.ELECTRONIC and loan.returned_at is None and now >= loan.due_at:
        parts.append("access expired" if en else "สิทธิ์หมดอายุแล้ว")
    elif loan.is_overdue(now):
        parts.append("overdue" if en else "เกินกำหนดส่งคืน")
    if loan.letter.is_classified:
        parts.append(SECRECY_EN.get(loan.letter.secrecy, "") if en else loan.letter.get_secrecy_display())
    return (", " if en else " ").join(parts)


def row(p: Principal, n: int, loan: Loan, now: dt.datetime, lang: str = "th") -> list[str]:
    """One row of form 24; ``lang="en"`` for the English UI's page (dates ``27 Nov 2569``, English remarks)."""
    en = lang == "en"
    subject = subject_for(p, loan.letter)
    subject = SUBJECT_EN.get(subject, subject) if en else subject
    code = f" ({'file code' if en else 'รหัสแฟ้ม'} {loan.file_code})" if loan.file_code else ""
    borrower = " ".join(x for x in (loan.borrower_name, loan.borrower_position) if x) + f" {loan.borrower_agency}"

    def day(value: dt.datetime) -> str:
        return format_date_en_abbr(value) if en else format_date(value, style="abbr")

    due = day(loan.due_at - dt.timedelta(microseconds=1))
    approver = " ".join(x for x in (loan.approver_name, loan.approver_position) if x)
    returned = day(loan.returned_at) if loan.returned_at else ""
    return [str(n), subject + code, borrower, loan.receiver_name, day(loan.lent_at), due,
            loan.returner_name, returned, approver, _remark(loan, now, en)]


def table(p: Principal, loans: Sequence[Loan], year_be: int, lang: str = "th") -> Table:
    now = clock.now()
    rows = [row(p, i, x, now, lang) for i, x in enumerate(loans, start=1)]
    if lang == "en":
        return Table(f"{TITLE_EN} B.E. {year_be}", HEADERS_EN, rows)
    return Table(f"{TITLE} พ.ศ. {year_be}", HEADERS, rows, sheet=f"แบบที่ 24 {year_be}")


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
