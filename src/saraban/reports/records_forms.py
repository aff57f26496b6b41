"""The records forms on paper and in spreadsheets (ระเบียบงานสารบรรณ, แบบที่ 19, 20, 21, 22 and 25), and the
destruction record.  Classified letters' subjects never print: the row says "(หนังสือลับ)"."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from saraban.kernel import clock
from saraban.kernel.thai import format_date, format_datetime
from saraban.letterpress.html_pdf import font_css, html_to_pdf
from saraban.orgs.models import Agency
from saraban.records import queries
from saraban.records import stamp as keep_stamp
from saraban.records.models import DestructionList, Filing

from .registers import csv_cell, is_formula_like

CLASSIFIED = "(หนังสือลับ)"


@dataclass
class Form:
    number: str
    title: str
    headers: list[str]
    rows: list[list[str]]
    agency: Agency
    widths: list[int]
    notes: list[str] = field(default_factory=list)
    signers: list[dict[str, str]] = field(default_factory=list)
    orientation: str = "portrait"
    nowrap: tuple[int, ...] = ()

    @property
    def slug(self) -> str:
        return f"form{self.number}" if self.number else "record"


def _subject(f: Filing) -> str:
    return CLASSIFIED if f.letter.is_classified else f.letter.subject


def _date(day: object) -> str:
    return format_date(day, style="abbr") if day else ""  # type: ignore[arg-type]


def _keep(f: Filing) -> str:
    return keep_stamp.stamp_text(f.keep_until_be)


def _remark(f: Filing) -> str:
    parts = [f.remark]
    if f.retention == "special":
        parts.append(f"ตาม {f.special_law}")
    if f.authorisation:
        parts.append(f"อนุมัติให้เก็บสั้นลง: {f.authorisation}")
    if f.state == "destroyed":
        parts.append("ทำลายแล้ว")
    return " ".join(p for p in parts if p)


def form19(agency: Agency, filings: list[Filing]) -> Form:
    """บัญชีหนังสือส่งเก็บ: what the owner sends to the storage unit."""
    rows = [[str(n), f.file_code.code, f.letter.their_ref, _date(f.letter.letter_date), _subject(f), _keep(f),
             _remark(f)] for n, f in enumerate(filings, 1)]
    return Form("19", "บัญชีหนังสือส่งเก็บ", ["ลำดับที่", "รหัสแฟ้ม", "ที่", "ลงวันที่", "เรื่อง", "กำหนดเก็บ",
                                              "หมายเหตุ"], rows, agency, [6, 8, 16, 13, 28, 17, 12], nowrap=(3, 5))


def form20(agency: Agency, filings: list[Filing]) -> Form:
    """ทะเบียนหนังสือเก็บ: the storage unit's register."""
    rows = [[str(n), _date(clock.to_bkk(f.stored_at).date()) if f.stored_at else "", f.file_code.code,
             f.letter.their_ref, _date(f.letter.letter_date), _subject(f), _keep(f), _remark(f)]
            for n, f in enumerate(filings, 1)]
    return Form("20", "ทะเบียนหนังสือเก็บ", ["ลำดับที่", "วันเก็บ", "รหัสแฟ้ม", "ที่", "ลงวันที่", "เรื่อง",
                                             "กำหนดเก็บ", "หมายเหตุ"], rows, agency, [6, 10, 8, 15, 10, 28, 12, 11],
                orientation="landscape", nowrap=(1, 4, 6))


def _handover(number: str, title: str, agency: Agency, filings: list[Filing]) -> Form:
    rows = [[str(n), f.file_code.code, f.letter.their_ref, _date(f.letter.letter_date), _subject(f), _remark(f)]
            for n, f in enumerate(filings, 1)]
    return Form(number, title, ["ลำดับที่", "รหัสแฟ้ม", "ที่", "ลงวันที่", "เรื่อง", "หมายเหตุ"], rows, agency,
                [7, 9, 19, 13, 37, 15], nowrap=(3,))


def form21(agency: Agency, year_be: int) -> Form:
    deliver, _ = queries.handover(agency, year_be)
    return _handover("21", f"บัญชีส่งมอบหนังสือครบ 20 ปี ประจำปี พ.ศ. {year_be}", agency, deliver)


def form22(agency: Agency, year_be: int) -> Form:
    _, keep = queries.handover(agency, year_be)
    return _handover("22", f"บัญชีหนังสือครบ 20 ปีที่ขอเก็บเอง ประจำปี พ.ศ. {year_be}", agency, keep)


def _committee(dlist: DestructionList, record: bool = False) -> list[dict[str, str]]:
    out = []
    for m in dlist.committee.select_related("person"):
        p = m.person
        when = m.record_signed_at if record else m.signed_at
        out.append({"name": f"{p.prefix_th}{p.first_name_th} {p.last_name_th}", "role": m.get_role_display(),
                    "signed": format_datetime(when) if when else ""})
    return out


def form25(dlist: DestructionList) -> Form:
    """บัญชีหนังสือขอทำลาย with the committee's decisions (การพิจารณา) and signatures."""
    rows = []
    for item in dlist.items.select_related("filing__letter", "filing__file_code"):
        f = item.filing
        decision = {"destroy": "ทำลาย", "keep": f"ขยายเวลาเก็บถึง พ.ศ. {item.new_keep_until_be}"}.get(item.decision, "")
        rows.append([str(item.order), f.file_code.code, f.letter.their_ref, _date(f.letter.letter_date), _subject(f),
                     decision, item.remark])
    notes = []
    if dlist.sent_on:
        notes.append(f"ส่งกรมศิลปากรเมื่อ {_date(dlist.sent_on)} {dlist.sent_ref} — ถือว่าเห็นชอบตั้งแต่ "
                     f"{_date(dlist.consent_on)} หากไม่ได้รับแจ้งภายใน 60 วัน (ข้อ 69)")
    if dlist.approved_at:
        notes.append(f"หัวหน้าส่วนราชการเห็นชอบเมื่อ {format_datetime(dlist.approved_at)}")
    return Form("25", f"บัญชีหนังสือขอทำลาย ประจำปี พ.ศ. {dlist.year_be}",
                ["ลำดับที่", "รหัสแฟ้ม", "ที่", "ลงวันที่", "เรื่อง", "การพิจารณา", "หมายเหตุ"], rows, dlist.agency,
                [6, 8, 15, 10, 33, 14, 14], notes=notes, signers=_committee(dlist), orientation="landscape",
                nowrap=(3,))


def destruction_record(dlist: DestructionList) -> Form:
    """บันทึกการทำลายหนังสือ (ข้อ 68.5): what was destroyed, how and when, signed by the committee jointly."""
    form = form25(dlist)
    rows = [r for r in form.rows if r[5] == "ทำลาย"]
    notes = [f"คณะกรรมการได้ควบคุมการทำลายหนังสือตามบัญชีข้างต้น จำนวน {len(rows)} รายการ "
             f"เมื่อ {format_datetime(dlist.destroyed_at) if dlist.destroyed_at else '-'} "
             f"โดยวิธี {dlist.method or '-'} (ลบไฟล์ สำเนา และข้อมูลสำรอง และทำลายกุญแจเข้ารหัส)"]
    return Form("", f"บันทึกการทำลายหนังสือ ตามบัญชีหนังสือขอทำลาย ประจำปี พ.ศ. {dlist.year_be}", form.headers,
                rows, dlist.agency, form.widths, notes=notes, signers=_committee(dlist, record=True),
                orientation="landscape", nowrap=form.nowrap)


def to_pdf(form: Form) -> bytes:
    widths = " ".join(f"col.w{i} {{ width: {w}%; }}" for i, w in enumerate(form.widths))
    html = render_to_string("reports/records_form.html", {
        "font_css": font_css(), "title": form.title, "form": form.number, "headers": form.headers, "rows": form.rows,
        "agency_line": f"ส่วนราชการ {form.agency.name_th}", "date_line": f"วันที่ {format_date(clock.today())}",
        "printed": format_datetime(clock.now(), style="full"), "widths": widths, "notes": form.notes,
        "signers": form.signers, "orientation": form.orientation, "nowrap": form.nowrap,
    })
    return html_to_pdf(html)


def to_csv(form: Form) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, quoting=csv.QUOTE_ALL)
    w.writerow(form.headers)
    for r in form.rows:
        w.writerow([csv_cell(v) for v in r])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(form: Form) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = form.slug
    ws.append([f"{'แบบที่ ' + form.number + ' ' if form.number else ''}{form.title} — {form.agency.name_th}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(form.headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F5")
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for r in form.rows:
        ws.append(r)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and (cell.data_type == "f" or is_formula_like(cell.value)):
                cell.data_type = "s"
                cell.quotePrefix = True
    for i, width in enumerate(form.widths):
        ws.column_dimensions[chr(ord("A") + i)].width = max(8, width * 1.6)
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
