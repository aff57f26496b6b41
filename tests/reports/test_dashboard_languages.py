"""The dashboard's page follows the UI's language; its exports (official documents) stay Thai."""

from __future__ import annotations

import datetime as dt
import re

from saraban.reports import dashboard_export as dx
from saraban.reports.dashboard import HIDDEN_SUBJECT, Dashboard, LoanRow, OverdueRow, RetentionRow, UnitMonths

THAI = re.compile(r"[\u0e00-\u0e7f]")


def sample() -> Dashboard:
    unit = UnitMonths("กองกลาง", incoming=[1] * 12, outgoing=[2] * 12)
    loan = LoanRow(subject=HIDDEN_SUBJECT, borrower="นายสมมติ ทดสอบ", borrower_agency="กรมตัวอย่าง",
                   medium="ต้นฉบับกระดาษ", lent="1 พ.ย. 2569", due="8 พ.ย. 2569", overdue=True, medium_code="paper",
                   lent_on=dt.date(2026, 11, 1), due_on=dt.date(2026, 11, 8))
    return Dashboard(2569, [unit], [OverdueRow("กองกลาง", "นายสมมติ ทดสอบ", 3, dt.date(2026, 11, 3))], [loan],
                     [RetentionRow(HIDDEN_SUBJECT, "1.2", "พ.ศ. 2569")])


def system_text(text: str) -> str:
    """Text less the people's own words (unit, names, agency) the sample put in."""
    for own in ("กองกลาง", "นายสมมติ ทดสอบ", "กรมตัวอย่าง"):
        text = text.replace(own, "")
    return text


def test_english_tables_and_charts_have_no_thai_system_words() -> None:
    d = sample()
    tables = dx.tables(d, "en")
    cells = [t.title for t in tables] + [str(h) for t in tables for h in t.headers]
    cells += [str(c) for t in tables for r in t.rows for c in r]
    assert not [c for c in cells if THAI.search(system_text(c))]
    assert "Jan" in tables[0].headers and "3 Nov 2569" in tables[1].rows[0]
    assert tables[2].rows[0][3] == "Paper original" and tables[2].rows[0][4] == "1 Nov 2569"
    for svg in dx.charts(d, "en").values():
        assert not THAI.search(system_text(svg))


def test_thai_charts_and_exports_stay_thai_without_english_words() -> None:
    d = sample()
    charts = "".join(dx.charts(d, "th").values())
    assert "ม.ค." in charts and not re.search(r"\((in|out|none)\)|overdue", charts)
    csv = dx.export(d, "csv").decode("utf-8-sig")
    assert "หนังสือรับ–ส่ง ตามหน่วยงานและเดือน" in csv and "ม.ค." in csv and HIDDEN_SUBJECT in csv
    assert "Jan" not in csv
