"""Register prints and the receipt stamp break their lines between words too (letterpress.linebreak),
and the printed secret register says it is secret: its own heading and a red ลับ/ลับมาก mark."""

from __future__ import annotations

import datetime as dt

import pytest

from saraban.kernel.clock import BANGKOK
from saraban.orgs.models import Agency, Unit
from saraban.registry.models import RegisterEntry
from saraban.registry.queries import Register
from saraban.registry.stamp import StampText, render_stamp
from saraban.reports import registers

from ..letterpress.pdftools import char_style, pdftotext
from ..linecheck import bad_line_ends

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)

AGENCY = Agency(code="x", name_th="สำนักงานปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", letter_code="ดศ")
UNIT = Unit(code="x-central", agency=AGENCY, name_th="กองกลาง")
AT = dt.datetime(2026, 3, 3, 10, 42, tzinfo=BANGKOK)
ROWS = [
    ("ดศ 0401/ว 88", "สำนักงานสถิติแห่งชาติ", "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม (ผ่านผู้อำนวยการกองกลาง)",
     "ขอความอนุเคราะห์ข้อมูลสถิติการใช้บริการดิจิทัลภาครัฐของหน่วยงานประจำปีงบประมาณ พ.ศ. 2567 "
     "เพื่อจัดทำรายงานเสนอคณะรัฐมนตรีภายในวันที่ 15 มีนาคม 2567",
     "เสนอผู้อำนวยการกองกลางพิจารณามอบหมายศูนย์เทคโนโลยีสารสนเทศและการสื่อสารดำเนินการ", "ลับมาก", "secret"),
    ("สพธอ 01/2215", "สำนักงานพัฒนาธุรกรรมทางอิเล็กทรอนิกส์ (องค์การมหาชน)", "ผู้อำนวยการกองกลาง",
     "ขอเชิญประชุมคณะทำงานมาตรฐานลายมือชื่ออิเล็กทรอนิกส์ครั้งที่ 2/2567 ณ ศูนย์ราชการเฉลิมพระเกียรติ 80 พรรษา",
     "ทราบ มอบนางสาวกำไล น้ำใจดี เข้าร่วมประชุม", "ด่วนที่สุด ลับ", "confidential"),
]
GROUPS = ("15 มีนาคม 2567", "พ.ศ. 2567", "ครั้งที่ 2/2567", "80 พรรษา", "นางสาวกำไล น้ำใจดี", "ดศ 0401/ว 88",
          "ลับมาก")


def _register(kind: str) -> tuple[Register, list[RegisterEntry]]:
    entries = [RegisterEntry(number=n, display=str(n), ref=ref, letter_date=AT.date(), from_text=sender,
                             to_text=to, subject=subject, action_text=action, remark=remark, secrecy=secrecy,
                             urgency="normal", registered_at=AT, cancelled=False)
               for n, (ref, sender, to, subject, action, remark, secrecy) in enumerate(ROWS, start=1)]
    return Register(unit=UNIT, kind=kind, year_be=2569, book=None, entries=entries), entries  # type: ignore[arg-type]


def _sources(entries: list[RegisterEntry]) -> list[str]:
    return [cell for e in entries for cell in registers.row(e)]


@pytest.mark.parametrize("kind", ["received", "secret_received"])
def test_register_print_breaks_lines_between_words(kind: str) -> None:
    register, entries = _register(kind)
    pdf = registers.to_pdf(register, entries)
    bad, checked = bad_line_ends(pdf, _sources(entries), GROUPS)
    assert checked >= 8, checked  # the long cells do wrap: there are line ends to check
    assert bad == []


def test_secret_register_has_its_heading_and_red_mark() -> None:
    register, entries = _register("secret_received")
    pdf = registers.to_pdf(register, entries)
    text = pdftotext(pdf)
    assert "ทะเบียนรับหนังสือลับ วันที่ 3 เดือน มีนาคม พ.ศ. 2569" in text
    assert "ทะเบียนหนังสือรับ วันที่" not in text
    assert text.count("ลับมาก") >= 3  # top and bottom of the page, and the row's remark
    assert char_style(pdf, "ลับมาก", nth=-1).rgb == (208, 0, 0)  # the page's mark (margin boxes come last)
    ordinary = pdftotext(registers.to_pdf(*_register("received")))
    assert "ทะเบียนหนังสือรับ วันที่" in ordinary
    assert registers.secrecy_mark("secret_received", entries[1:]) == "ลับ"


@pytest.mark.parametrize("name", ["สำนักงานคณะกรรมการดิจิทัลเพื่อเศรษฐกิจและสังคมแห่งชาติ",
                                  "กองกลาง สำนักงานคณะกรรมการดิจิทัลเพื่อเศรษฐกิจและสังคมแห่งชาติ",
                                  "สำนักงานสถิติแห่งชาติ กองสถิติเศรษฐกิจ"])
def test_receipt_stamp_breaks_a_long_name_between_words_and_keeps_it_whole(name: str) -> None:
    pdf = render_stamp(StampText(agency=name, number="ดศ ๐๒๐๑/๑๒๓๔", date="๒๖ พ.ย. ๒๕๖๙", time="๑๔.๓๐ น."))
    bad, checked = bad_line_ends(pdf, [name])
    assert checked == 1 and bad == []  # it takes two lines, broken between words
    assert "".join(pdftotext(pdf).split()).startswith("".join(name.split()))  # nothing cut off
