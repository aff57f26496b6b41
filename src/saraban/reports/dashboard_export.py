"""The executive dashboard as tables (CSV, XLSX with B.E. dates) and as a printed report with its charts."""

from __future__ import annotations

from django.template.loader import render_to_string

from saraban.kernel import clock
from saraban.kernel.thai import MONTHS_EN_ABBR, format_date, format_date_en_abbr, format_datetime

from .charts import Series, bar_chart, hbar_chart
from .dashboard import MONTH_LABELS, SUBJECT_EN, Dashboard
from .tables import Table, to_csv, to_xlsx


def charts(d: Dashboard, lang: str = "th") -> dict[str, str]:
    """The three charts, labelled in ``lang`` ("th" for print and the Thai UI, "en" for the English UI)."""
    en = lang == "en"
    incoming, outgoing = d.month_totals
    months = bar_chart(MONTHS_EN_ABBR if en else MONTH_LABELS,
                       [Series("Incoming" if en else "หนังสือรับ", incoming),
                        Series("Outgoing" if en else "หนังสือส่ง", outgoing)],
                       title=f"Letters in and out by month, B.E. {d.year_be}" if en
                       else f"หนังสือรับ–ส่ง รายเดือน พ.ศ. {d.year_be}")
    units: dict[str, int] = {}
    for r in d.overdue:
        units[r.unit] = units.get(r.unit, 0) + r.count
    overdue = hbar_chart(sorted(units.items(), key=lambda kv: -kv[1])[:12],
                         title="Overdue work by unit" if en else "งานเกินกำหนดตามหน่วยงาน",
                         empty="Nothing to show" if en else "ไม่มีรายการ")
    by_unit = hbar_chart([(u.unit, u.total_in + u.total_out) for u in d.months[:12]], color="#1f5fa8",
                         title=f"Letters in and out by unit, B.E. {d.year_be}" if en
                         else f"หนังสือรับและส่งตามหน่วยงาน พ.ศ. {d.year_be}",
                         empty="Nothing to show" if en else "ไม่มีรายการ")
    return {"months": months, "overdue": overdue, "units": by_unit}


def print_bars(d: Dashboard) -> dict[str, object]:
    """The charts for print as plain boxes (WeasyPrint's SVG text does not shape Thai; its HTML text does)."""
    incoming, outgoing = d.month_totals
    top = max([1, *incoming, *outgoing])
    months = [{"label": m, "in": i, "out": o, "in_h": round(120 * i / top), "out_h": round(120 * o / top)}
              for m, i, o in zip(MONTH_LABELS, incoming, outgoing, strict=True)]
    units: dict[str, int] = {}
    for r in d.overdue:
        units[r.unit] = units.get(r.unit, 0) + r.count
    omax = max([1, *units.values()])
    ranked = sorted(units.items(), key=lambda kv: -kv[1])
    overdue = [{"label": u, "n": n, "w": round(100 * n / omax)} for u, n in ranked]
    return {"months": months, "overdue": overdue[:12]}


MEDIUM_EN = {"electronic": "Electronic access (expires by itself)", "paper": "Paper original",
             "copy": "Certified copy"}


def _en_tables(d: Dashboard) -> list[Table]:
    """The dashboard's tables for the English UI (the exports stay Thai: they are official documents)."""
    month_rows: list[list[object]] = []
    for u in d.months:
        month_rows.append([u.unit, "In", *u.incoming, u.total_in])
        month_rows.append([u.unit, "Out", *u.outgoing, u.total_out])
    overdue_rows = [[r.unit, r.person, r.count, format_date_en_abbr(r.oldest_due)] for r in d.overdue]
    loan_rows = [[SUBJECT_EN.get(x.subject, x.subject), x.borrower, x.borrower_agency,
                  MEDIUM_EN.get(x.medium_code, x.medium), format_date_en_abbr(x.lent_on) if x.lent_on else x.lent,
                  format_date_en_abbr(x.due_on) if x.due_on else x.due, "Overdue" if x.overdue else ""]
                 for x in d.loans]
    return [
        Table(f"Letters in and out by unit and month, B.E. {d.year_be}",
              ["Unit", "Kind", *MONTHS_EN_ABBR, "Total"], month_rows),
        Table("Overdue work by unit and person", ["Unit", "Person responsible", "Count", "Oldest due date"],
              overdue_rows),
        Table("Letters on loan", ["Subject", "Borrower", "Agency", "Medium", "Lent", "Due back", "Remark"],
              loan_rows),
        Table(f"Letters whose retention ends in B.E. {d.year_be}", ["Subject", "File code", "Keep until"],
              [[SUBJECT_EN.get(x.subject, x.subject), x.file_code, x.keep_until.replace("พ.ศ.", "B.E.")]
               for x in d.retention]),
    ]


def tables(d: Dashboard, lang: str = "th") -> list[Table]:
    if lang == "en":
        return _en_tables(d)
    month_headers = ["หน่วยงาน", "ประเภท", *MONTH_LABELS, "รวม"]
    month_rows: list[list[object]] = []
    for u in d.months:
        month_rows.append([u.unit, "รับ", *u.incoming, u.total_in])
        month_rows.append([u.unit, "ส่ง", *u.outgoing, u.total_out])
    overdue_rows = [[r.unit, r.person, r.count, format_date(r.oldest_due, style="abbr")] for r in d.overdue]
    loan_rows = [[x.subject, x.borrower, x.borrower_agency, x.medium, x.lent, x.due, "เกินกำหนด" if x.overdue else ""]
                 for x in d.loans]
    return [
        Table(f"หนังสือรับ–ส่ง ตามหน่วยงานและเดือน พ.ศ. {d.year_be}", month_headers, month_rows, sheet="รับส่งรายเดือน"),
        Table("งานเกินกำหนดตามหน่วยงานและผู้รับผิดชอบ", ["หน่วยงาน", "ผู้รับผิดชอบ", "จำนวน", "กำหนดเสร็จที่เก่าที่สุด"],
              overdue_rows, sheet="งานเกินกำหนด"),
        Table("หนังสือที่ยืมออกไป", ["เรื่อง", "ผู้ยืม", "ส่วนราชการ", "ประเภท", "วันยืม", "กำหนดส่งคืน", "หมายเหตุ"],
              loan_rows, sheet="หนังสือที่ยืม"),
        Table(f"หนังสือครบกำหนดเก็บ พ.ศ. {d.year_be}", ["เรื่อง", "รหัสแฟ้ม", "เก็บถึง"],
              [[x.subject, x.file_code, x.keep_until] for x in d.retention], sheet="ครบกำหนดเก็บ"),
    ]


def export(d: Dashboard, fmt: str, *, agency: str = "") -> bytes:
    if fmt == "csv":
        return to_csv(tables(d))
    if fmt == "xlsx":
        return to_xlsx(tables(d))
    from saraban.letterpress.html_pdf import font_css, html_to_pdf

    html = render_to_string("reports/dashboard.html", {
        "font_css": font_css(), "d": d, "bars": print_bars(d), "tables": tables(d), "agency": agency,
        "printed": format_datetime(clock.now(), style="full"),
    })
    return html_to_pdf(html)
