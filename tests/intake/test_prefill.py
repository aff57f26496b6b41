"""Pre-filling the desk from a letter's text: the fields of real letters' text layers, the ำ/า flaw of
extracted text, hostile text, and the registration recording what was pre-filled and what was corrected."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saraban.audit.models import AuditEvent
from saraban.intake.prefill import flawed, fold_am, prefill, repair_am
from tests.fixtures import blank_pdf

EXTERNAL = """ที่ ดศ ๐๕๐๑/๑๔๕๗                                          กรมอุตุนิยมวิทยา
                                                      ๔๓๕๓ ถนนสุขุมวิท เขตบางนา กรุงเทพฯ ๑๐๒๖๐
                         ๕ มกราคม ๒๕๖๙
เรื่อง  ขอความร่วมมือเผยแพร่ประกาศเตือนภัยพายุฤดูร้อน
        ฉบับที่ ๒
เรียน  ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม
อ้างถึง  หนังสือสำนักงานปลัดกระทรวง ที่ ดศ ๐๒๐๑/๙๙ ลงวันที่ ๒ มกราคม ๒๕๖๙
            ด้วยกรมอุตุนิยมวิทยา...
"""

MEMO = """บันทึกข้อความ
ส่วนราชการ  กองกลาง สำนักงานปลัดกระทรวง โทร. ๐ ๒๑๔๑ ๖๗๔๗
ที่  ดศ ๐๒๐๑/ว ๓๒                 วันที่  ๑๒ ก.พ. ๖๙
เรื่อง  ขอเชิญประชุมคณะทำงาน
เรียน  ผู้อำนวยการทุกกอง
"""

# the two flaws of extracted text (stack.md): ำ dropped to า, or every า turned into ำ
DROPPED = """ที่ นร 0105/ว 123 สานักเลขาธิการคณะรัฐมนตรี
28 กุมภาพันธ์ 2569
เรื่อง การกาหนดแนวทางการดาเนินงานจัดทาหนังสือราชการ
เรียน ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม
ด้วยสานักเลขาธิการคณะรัฐมนตรีได้กาหนดแนวทางการดาเนินงาน จึงขอความร่วมมือหน่วยงานทั้งปวงปฏิบัติตาม
"""
TURNED = """ที่ สงป 0301/888 สำนักงบประมำณ
3 มีนำคม 2569
เรื่อง ขอควำมร่วมมือจัดส่งข้อมูลงบประมำณประจำปี
เรียน ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม
"""


def test_external_letter_heading() -> None:
    got = prefill(EXTERNAL)
    assert got.values == {"their_ref": "ดศ 0501/1457", "their_date": dt.date(2026, 1, 5), "sender": "กรมอุตุนิยมวิทยา",
                          "subject": "ขอความร่วมมือเผยแพร่ประกาศเตือนภัยพายุฤดูร้อน ฉบับที่ 2",
                          "addressee": "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"}
    assert got.fields == ["their_ref", "their_date", "sender", "subject", "addressee"] and not got.repaired


def test_memo_heading() -> None:
    got = prefill(MEMO)
    assert got.values["their_ref"] == "ดศ 0201/ว 32" and got.values["their_date"] == dt.date(2026, 2, 12)
    assert got.values["sender"] == "กองกลาง สำนักงานปลัดกระทรวง"
    assert got.values["subject"] == "ขอเชิญประชุมคณะทำงาน" and got.values["addressee"] == "ผู้อำนวยการทุกกอง"


def test_the_am_flaws_are_repaired_before_use() -> None:
    assert flawed(DROPPED) and flawed(TURNED) and not flawed(EXTERNAL)
    dropped = prefill(DROPPED)
    assert dropped.repaired and dropped.values["sender"] == "สำนักเลขาธิการคณะรัฐมนตรี"
    assert dropped.values["subject"] == "การกำหนดแนวทางการดำเนินงานจัดทำหนังสือราชการ"
    assert dropped.values["their_date"] == dt.date(2026, 2, 28)
    turned = prefill(TURNED)
    assert turned.values["sender"] == "สำนักงบประมาณ" and turned.values["their_date"] == dt.date(2026, 3, 3)
    assert turned.values["subject"] == "ขอความร่วมมือจัดส่งข้อมูลงบประมาณประจำปี"
    assert repair_am("มีนำคม") == "มีนาคม" and fold_am("ดำ") == "ดา"


def test_nothing_to_find() -> None:
    assert prefill("").values == {} and prefill("\x00\n\n   ").values == {}
    assert prefill("ภาพสแกนที่ไม่มีข้อความ").fields == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_bounded_fields_and_never_fails(text: str) -> None:
    got = prefill(text)
    assert set(got.values) <= {"their_ref", "their_date", "sender", "subject", "addressee"}
    for key, limit in (("their_ref", 255), ("sender", 500), ("subject", 1000), ("addressee", 500)):
        assert len(str(got.values.get(key, ""))) <= limit


@pytest.mark.django_db
def test_queue_prefills_and_the_registration_records_it(registrar_api, clock) -> None:
    import io

    from saraban.demo.content import sample_letter_pdf

    pdf = sample_letter_pdf("ดศ 0501/1457", "กรมอุตุนิยมวิทยา", "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
                            "ขอความร่วมมือเผยแพร่ประกาศเตือนภัยพายุฤดูร้อน", dt.date(2026, 1, 5))
    f = io.BytesIO(pdf)
    f.name = "scan-0001.pdf"
    item = registrar_api.post_multipart("/intake", {"file": f, "metadata": json.dumps({"urgency": "urgent"})}).json()
    meta = item["metadata"]
    assert meta["their_ref"] == "ดศ 0501/1457" and meta["their_date"] == "2026-01-05"
    assert meta["sender"] == "กรมอุตุนิยมวิทยา" and item["subject"] == "ขอความร่วมมือเผยแพร่ประกาศเตือนภัยพายุฤดูร้อน"
    assert meta["prefilled"] == ["their_ref", "their_date", "sender", "subject", "addressee"]
    # what the sender gave is kept; only missing fields are filled
    g = io.BytesIO(pdf)
    g.name = "b.pdf"
    given_meta = {"subject": "เรื่องที่พิมพ์เอง", "sender": "กรมอุตุฯ"}
    other = registrar_api.post_multipart("/intake", {"file": g, "metadata": json.dumps(given_meta)}).json()
    assert other["subject"] == "เรื่องที่พิมพ์เอง" and "subject" not in other["metadata"]["prefilled"]
    # a PDF without a text layer: nothing pre-filled, the subject falls back to the file name
    h = io.BytesIO(blank_pdf())
    h.name = "สแกน-0002.pdf"
    r = registrar_api.post_multipart("/intake", {"file": h, "metadata": "{}"}).json()
    assert r["subject"] == "สแกน-0002" and not r["metadata"].get("prefilled")

    reg = registrar_api.post_json(f"/intake/{item['id']}/register", {"sender": "กรมอุตุนิยมวิทยา (กรมอุตุฯ)"})
    assert reg.status_code == 201, reg.content
    event = AuditEvent.objects.filter(action="registry.register_incoming").latest("seq")
    assert event.data["prefilled"] == ["their_ref", "their_date", "sender", "subject", "addressee"]
    assert event.data["prefill_corrected"] == ["sender"]
