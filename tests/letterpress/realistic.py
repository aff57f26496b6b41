"""Realistic letters of every kind, for the line-breaking tests: long bodies that mix compound words,
names, positions, dates, numbers, URLs, e-mail addresses and long agency names (the curated examples
are short and happen to hide most bad breaks)."""

from __future__ import annotations

import dataclasses

from saraban.letterpress.content import Items, Letter, Paragraph, Signatory, Table
from saraban.letterpress.examples import EXAMPLES

OPENING = (
    "ตามที่สำนักงานปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคมได้ขอความเห็นชอบจากหน่วยงานในสังกัดเกี่ยวกับ"
    "แนวทางการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์ ตามหนังสือที่ ดศ 0201/ว 1457 ลงวันที่ 15 มีนาคม 2567 "
    "ความละเอียดแจ้งแล้ว นั้น"
)
MIDDLE = (
    "ในการนี้ ผู้อำนวยการกองกลางได้มอบหมายให้นางสาวกำไล น้ำใจดี นักจัดการงานทั่วไปชำนาญการพิเศษ "
    "เป็นผู้ประสานงานกับสำนักงานสถิติแห่งชาติและสำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน) "
    "เพื่อจัดทำข้อมูลสถิติการใช้บริการดิจิทัลภาครัฐของหน่วยงานประจำปีงบประมาณ พ.ศ. 2567 ให้เห็นชอบร่วมกัน"
    "ดังต่อไปนี้"
)
ITEMS = (
    "จัดเก็บข้อมูลหนังสือราชการอิเล็กทรอนิกส์ จำนวน 12,500 ฉบับ ให้แล้วเสร็จภายในวันที่ 30 กันยายน 2567",
    "ตรวจสอบสิทธิ์การเข้าถึงหนังสือชั้นลับมากตามระเบียบว่าด้วยการรักษาความลับของทางราชการ พ.ศ. 2544 "
    "โดยผู้อำนวยการศูนย์เทคโนโลยีสารสนเทศและการสื่อสารเป็นผู้รับผิดชอบ",
    "เผยแพร่ผลการดำเนินงานทางเว็บไซต์ https://saraban.mdes.go.th/statistics/2567 "
    "และแจ้งทางไปรษณีย์อิเล็กทรอนิกส์ saraban@mdes.go.th ภายใน 7 วันทำการ",
)
LATER = (
    "ทั้งนี้ เพื่อเป็นการเฉลิมพระเกียรติเนื่องในโอกาสมหามงคลเฉลิมพระชนมพรรษา 80 พรรษา ขอให้หน่วยงานรายงานผล"
    "การดำเนินงานครั้งที่ 2/2567 ตามแบบรายงาน (ฉบับที่ 2) ภายในวันที่ 3 ธ.ค. 69 ณ ศูนย์ราชการเฉลิมพระเกียรติ "
    "80 พรรษา อาคารรัฐประศาสนภักดี ชั้น 9 โทร. 0 2141 6747 โดยนายวิชัย คำสอน ผู้อำนวยการกองยุทธศาสตร์และแผนงาน"
    "จะเป็นผู้รวบรวมเสนอปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคมต่อไป"
)
CLOSING = "จึงเรียนมาเพื่อโปรดพิจารณาให้ความเห็นชอบ และแจ้งผู้เกี่ยวข้องดำเนินการต่อไปด้วย จักขอบคุณยิ่ง"

BODY = (
    Paragraph(OPENING),
    Paragraph(MIDDLE),
    Items(ITEMS),
    Table(header=("ลำดับ", "หน่วยงาน", "จำนวนหนังสือ (ฉบับ)"),
          rows=(("1", "สำนักงานสถิติแห่งชาติ", "4,250"), ("2", "กรมอุตุนิยมวิทยา", "3,120"))),
    Paragraph(LATER),
    Paragraph(CLOSING),
)

GROUPS = (
    "15 มีนาคม 2567", "30 กันยายน 2567", "พ.ศ. 2567", "พ.ศ. 2544", "(ฉบับที่ 2)", "80 พรรษา", "3 ธ.ค. 69",
    "ครั้งที่ 2/2567", "12,500 ฉบับ", "7 วันทำการ", "นางสาวกำไล น้ำใจดี", "นายวิชัย คำสอน",
    "https://saraban.mdes.go.th/statistics/2567", "saraban@mdes.go.th", "ที่ ดศ 0201/ว 1457", "0 2141 6747",
    "ชั้น 9",
)
"""What must never be split across lines (as written in the source, before digit conversion)."""

SIGNER = Signatory("นายสมชาย ใจดี", ("รองปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "ปฏิบัติราชการแทน",
                                     "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"))


def realistic(name: str) -> Letter:
    """The example of kind ``name`` with the long mixed body (and a long signature block where it signs)."""
    letter = EXAMPLES[name]()
    changes: dict[str, object] = {"body": BODY}
    if getattr(letter, "signatories", None):
        changes["signatories"] = (SIGNER,)
    return dataclasses.replace(letter, **changes)  # type: ignore[arg-type]
