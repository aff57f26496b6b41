"""Plain tables to CSV and XLSX the way the registers export them: Thai headers, B.E. dates as written, a BOM
for Excel, and no cell a spreadsheet would take for a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from .registers import csv_cell, is_formula_like


@dataclass(frozen=True)
class Table:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]
    sheet: str = ""


def to_csv(tables: Sequence[Table]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, quoting=csv.QUOTE_ALL)
    for i, t in enumerate(tables):
        if len(tables) > 1:
            if i:
                w.writerow([])
            w.writerow([csv_cell(t.title)])
        w.writerow(t.headers)
        for r in t.rows:
            w.writerow([csv_cell(str(v)) for v in r])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(tables: Sequence[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    wb.remove(wb.active)
    for n, t in enumerate(tables, start=1):
        ws = wb.create_sheet((t.sheet or f"ตาราง {n}")[:31])
        ws.append([t.title])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append(list(t.headers))
        for cell in ws[2]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDE6F5")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for r in t.rows:
            ws.append(list(r))
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and (cell.data_type == "f" or is_formula_like(cell.value)):
                    cell.data_type = "s"
                    cell.quotePrefix = True
        for col in ws.columns:
            letter = col[0].column_letter
            ws.column_dimensions[letter].width = min(48, max(10, *(len(str(c.value or "")) + 2 for c in col[1:])))
        ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
