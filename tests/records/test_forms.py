"""Forms 19, 20, 21, 22 and 25 print in their official columns (PDF, text checked with pdftotext) and export to
CSV and XLSX.  Set SARABAN_LOOK_DIR to keep the PDFs for looking at (pdftoppm)."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
from pathlib import Path

import pytest

from saraban.records.actions import destruction as d
from saraban.records.actions.filing import store_filings
from saraban.records.models import Filing
from saraban.reports import records_forms as rf
from tests.fixtures import user

from .helpers import at, filed, people, plan

pytestmark = pytest.mark.django_db


def _text(pdf: bytes, name: str) -> str:
    look = os.environ.get("SARABAN_LOOK_DIR")
    if look:
        Path(look).mkdir(parents=True, exist_ok=True)
        (Path(look) / f"{name}.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return "".join(out.decode().split())  # cells wrap: compare without blanks


def test_forms_print_in_official_columns(org) -> None:
    agency = plan()
    leave = filed(dt.date(2024, 5, 2), "01.01", subject="ขอลาพักผ่อนประจำปี")
    general = filed(dt.date(2005, 6, 15), "01.02", subject="ขอความร่วมมือสำรวจข้อมูล", completed=dt.date(2005, 7, 1))
    forever = filed(dt.date(2005, 3, 1), "02", subject="แผนพัฒนาดิจิทัลของกระทรวง")
    filed(dt.date(2005, 4, 1), "02", subject="เรื่องลับมากของกระทรวง", secrecy="confidential")
    # the retention stamp on a derived copy; the original stays as it came
    from saraban.storage.blobs import read

    assert "เก็บถึงพ.ศ.2568" in _text(read(leave.stamped_copy.blob), "stamped-copy")
    assert "ห้ามทำลาย" in _text(read(forever.stamped_copy.blob), "stamped-forever")
    assert forever.stamped_copy.derived_from.role in ("presentation", "letter")
    with at(2025, 6, 1):
        store_filings(user("registrar"), list(Filing.objects.all()))
        f19 = rf.form19(agency, [leave, general, forever])
        text = _text(rf.to_pdf(f19), "form19")
        assert "บัญชีหนังสือส่งเก็บ" in text and "แบบที่19" in text
        for h in ("ลำดับที่", "รหัสแฟ้ม", "ลงวันที่", "เรื่อง", "กำหนดเก็บ", "หมายเหตุ"):
            assert h in text
        assert "เก็บถึงพ.ศ.2568" in text and "ห้ามทำลาย" in text and "01.01" in text
        f20 = rf.form20(agency, list(Filing.objects.select_related("letter", "file_code")))
        text = _text(rf.to_pdf(f20), "form20")
        assert "ทะเบียนหนังสือเก็บ" in text and "วันเก็บ" in text and "1มิ.ย.2568" in text
        assert "เรื่องลับมาก" not in text and "(หนังสือลับ)" in text  # a classified subject never prints
        f21 = rf.form21(agency, 2568)
        assert [r[4] for r in f21.rows] == ["ขอความร่วมมือสำรวจข้อมูล", "แผนพัฒนาดิจิทัลของกระทรวง"] or \
            sorted(r[4] for r in f21.rows) == ["ขอความร่วมมือสำรวจข้อมูล", "แผนพัฒนาดิจิทัลของกระทรวง"]
        text = _text(rf.to_pdf(f21), "form21")
        assert "บัญชีส่งมอบหนังสือครบ20ปีประจำปีพ.ศ.2568" in text and "แผนพัฒนาดิจิทัลของกระทรวง" in text
        f22 = rf.form22(agency, 2568)
        assert [r[4] for r in f22.rows] == ["(หนังสือลับ)"]  # classified letters stay with the agency
        assert rf.form21(agency, 2567).rows == []
        csv_text = rf.to_csv(f21).decode("utf-8-sig")
        assert csv_text.splitlines()[0] == '"ลำดับที่","รหัสแฟ้ม","ที่","ลงวันที่","เรื่อง","หมายเหตุ"'
        from openpyxl import load_workbook

        ws = load_workbook(io.BytesIO(rf.to_xlsx(f20))).active
        assert [c.value for c in ws[2]] == f20.headers and ws.max_row == 2 + len(f20.rows)

    with at(2026, 1, 15):
        dlist = d.make_destruction_list(user("registrar"), agency, 2568)
        chair, m1, m2 = people("director", "registrar", "finance-registrar")
        d.appoint_committee(user("permsec"), dlist, chair, [m1, m2])
        d.decide_items(user("director"), dlist, {str(i.pk): "destroy" for i in dlist.items.all()})
        d.sign_list(user("director"), dlist)
        text = _text(rf.to_pdf(rf.form25(dlist)), "form25")
    assert "บัญชีหนังสือขอทำลายประจำปีพ.ศ.2568" in text and "การพิจารณา" in text and "ทำลาย" in text
    assert "ขอลาพักผ่อนประจำปี" in text and "ประธานกรรมการ" in text and "แผนพัฒนา" not in text
