"""One example letter of every kind and sub-kind: for the sample writer, the demo and the tests.

The texts use the words whose extraction breaks in common PDFs (ดำเนินการ, สำนักงาน, กำหนด, น้ำ,
คำสั่ง), numbers that become Thai digits, lists and a table.
"""

from __future__ import annotations

import datetime as dt

from saraban.kernel.clock import BANGKOK

from .content import (
    Addressee,
    Announcement,
    Attendee,
    Certificate,
    Contact,
    ExternalLetter,
    FileCopyMarks,
    Heading,
    Items,
    Letter,
    Memo,
    MemoRecord,
    Minutes,
    News,
    Order,
    OtherRecord,
    Paragraph,
    Regulation,
    Rule,
    Secrecy,
    Signatory,
    StampedLetter,
    StampedPurpose,
    Statement,
    Table,
    Urgency,
)

AGENCY = "สำนักงานปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"
AGENCY_ADDRESS = ("สำนักงานปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "ถนนแจ้งวัฒนะ เขตหลักสี่",
                  "กรุงเทพฯ 10210")
DAY = dt.date(2024, 3, 5)
PERMANENT_SECRETARY = Signatory(
    name="นายสมชาย ใจดี",
    position=("ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",),
)
DIRECTOR = Signatory(name="นางสาวกำไล น้ำใจดี", position=("ผู้อำนวยการกองกลาง",))
CONTACT = Contact(unit="กองกลาง", phone="0 2141 6747", fax="0 2143 8019", email="saraban@mdes.go.th")


def external() -> ExternalLetter:
    return ExternalLetter(
        number="ดศ 0201/1234",
        agency=AGENCY_ADDRESS,
        date=DAY,
        subject="ขอเชิญประชุมคณะทำงานกำหนดมาตรฐานการดำเนินงานสารบรรณอิเล็กทรอนิกส์",
        to=Addressee("อธิบดีกรมศิลปากร"),
        references=("หนังสือกรมศิลปากร ที่ วธ 0401/567 ลงวันที่ 20 กุมภาพันธ์ 2567",),
        enclosures=("กำหนดการประชุม จำนวน 1 ฉบับ",),
        body=(
            Paragraph("ตามที่กรมศิลปากรได้แจ้งความประสงค์ขอรับการสนับสนุนการดำเนินงาน ความละเอียดแจ้งแล้ว นั้น"),
            Paragraph("สำนักงานปลัดกระทรวงได้กำหนดประชุมในวันที่ 15 มีนาคม 2567 เวลา 09.30 น. "
                      "โดยมีวาระสำคัญ ดังนี้"),
            Items(("แนวทางการจัดเก็บหนังสือราชการอิเล็กทรอนิกส์",
                   "การกำหนดสิทธิ์การเข้าถึงหนังสือลับ")),
            Paragraph("จึงเรียนมาเพื่อโปรดพิจารณามอบหมายผู้แทนเข้าร่วมประชุม จักขอบคุณยิ่ง"),
        ),
        signatories=(PERMANENT_SECRETARY,),
        contact=Contact(unit="กองกลาง", phone="0 2141 6747", email="saraban@mdes.go.th"),
        copies_to=("สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)",),
        urgency=Urgency.MOST_URGENT,
        file_copy=FileCopyMarks(drafter="กำไล", typist="สุดา", checker="วิชัย"),
    )


def memo() -> Memo:
    return Memo(
        unit="กองกลาง สำนักงานปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม โทร. 0 2141 6747",
        number="ดศ 0201.2/456",
        date=DAY,
        subject="ขออนุมัติจัดซื้อเครื่องกรองน้ำสำหรับห้องประชุม",
        to=Addressee("ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"),
        body=(
            Heading("เรื่องเดิม"),
            Paragraph("กองกลางได้รับแจ้งว่าเครื่องกรองน้ำประจำห้องประชุมชั้น 9 ชำรุด "
                      "ไม่สามารถใช้งานได้ตั้งแต่วันที่ 1 มีนาคม 2567"),
            Heading("ข้อพิจารณา"),
            Table(
                header=("ลำดับ", "รายการ", "จำนวน", "ราคา (บาท)"),
                rows=(("1", "เครื่องกรองน้ำ", "2 เครื่อง", "12,500"),
                      ("2", "ไส้กรองสำรอง", "4 ชุด", "3,200")),
                arabic_digits=True,
            ),
            Paragraph("จึงเรียนมาเพื่อโปรดพิจารณาอนุมัติ และลงนามในคำสั่งที่แนบมาพร้อมนี้"),
        ),
        signatories=(DIRECTOR,),
        urgency=Urgency.URGENT,
        secrecy=Secrecy.CONFIDENTIAL,
    )


def stamped() -> StampedLetter:
    return StampedLetter(
        number="ดศ 0201/1240",
        to="กรมศิลปากร",
        subject="เตือนการส่งแบบสำรวจการดำเนินงานสารบรรณ",
        purpose=StampedPurpose.REMIND,
        body=(
            Paragraph("ตามที่สำนักงานปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม ได้ขอความร่วมมือ"
                      "ส่งแบบสำรวจการดำเนินงานสารบรรณอิเล็กทรอนิกส์ ภายในวันที่ 29 กุมภาพันธ์ 2567 นั้น"),
            Paragraph("บัดนี้ ล่วงเลยกำหนดแล้ว ยังไม่ได้รับแบบสำรวจดังกล่าว "
                      "จึงขอให้ดำเนินการส่งภายในวันที่ 15 มีนาคม 2567"),
        ),
        sending_agency=AGENCY,
        date=DAY,
        contact=CONTACT,
        initials="ก.น.",
    )


def order() -> Order:
    return Order(
        issuer=AGENCY,
        number="15/2567",
        subject="แต่งตั้งคณะทำงานพัฒนาระบบสารบรรณอิเล็กทรอนิกส์",
        date=DAY,
        body=(
            Paragraph("เพื่อให้การดำเนินงานระบบสารบรรณอิเล็กทรอนิกส์เป็นไปตามระเบียบสำนักนายกรัฐมนตรี"
                      "ว่าด้วยงานสารบรรณ พ.ศ. 2526 และที่แก้ไขเพิ่มเติม (ฉบับที่ 4) พ.ศ. 2564 "
                      "จึงแต่งตั้งคณะทำงาน ดังนี้"),
            Items(("นางสาวกำไล น้ำใจดี ผู้อำนวยการกองกลาง เป็นประธานคณะทำงาน",
                   "นายวิชัย คำสอน นักจัดการงานทั่วไปชำนาญการ เป็นคณะทำงาน",
                   "นางสุดา ดำรงค์ นักวิชาการคอมพิวเตอร์ เป็นคณะทำงานและเลขานุการ")),
            Paragraph("ให้คณะทำงานมีหน้าที่กำหนดแนวทาง ดำเนินการ และติดตามผลการใช้งานระบบ"),
            Paragraph("ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป"),
        ),
        signatories=(PERMANENT_SECRETARY,),
    )


def regulation() -> Regulation:
    return Regulation(
        issuer="กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
        subject="การใช้ระบบสารบรรณอิเล็กทรอนิกส์",
        edition=2,
        date=DAY,
        body=(
            Paragraph("โดยที่เป็นการสมควรแก้ไขเพิ่มเติมระเบียบกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม "
                      "ว่าด้วยการใช้ระบบสารบรรณอิเล็กทรอนิกส์ ให้สอดคล้องกับการดำเนินงานในปัจจุบัน"),
            Paragraph("ข้อ 1 ระเบียบนี้เรียกว่า \"ระเบียบกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม "
                      "ว่าด้วยการใช้ระบบสารบรรณอิเล็กทรอนิกส์ (ฉบับที่ 2) พ.ศ. 2567\""),
            Paragraph("ข้อ 2 ระเบียบนี้ให้ใช้บังคับตั้งแต่วันถัดจากวันประกาศเป็นต้นไป"),
            Paragraph("ข้อ 3 ให้ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคมรักษาการตามระเบียบนี้"),
        ),
        signatories=(Signatory("นายวีรวัฒน์ ดิจิทัลไทย",
                               ("รัฐมนตรีว่าการกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",)),),
    )


def rule() -> Rule:
    return Rule(
        issuer="คณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์",
        subject="การประชุมคณะกรรมการ",
        date=DAY,
        body=(
            Paragraph("อาศัยอำนาจตามคำสั่งสำนักงานปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม ที่ 15/2567 "
                      "คณะกรรมการจึงออกข้อบังคับไว้ ดังต่อไปนี้"),
            Paragraph("ข้อ 1 ข้อบังคับนี้เรียกว่า \"ข้อบังคับคณะกรรมการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์ "
                      "ว่าด้วยการประชุมคณะกรรมการ พ.ศ. 2567\""),
            Paragraph("ข้อ 2 ให้ประธานกำหนดวันประชุมอย่างน้อยเดือนละ 1 ครั้ง"),
        ),
        signatories=(DIRECTOR,),
    )


def announcement() -> Announcement:
    return Announcement(
        issuer=AGENCY,
        subject="กำหนดช่องทางรับส่งหนังสือราชการทางไปรษณีย์อิเล็กทรอนิกส์",
        date=DAY,
        body=(
            Paragraph("ตามพระราชบัญญัติการปฏิบัติราชการทางอิเล็กทรอนิกส์ พ.ศ. 2565 มาตรา 10 "
                      "สำนักงานปลัดกระทรวงจึงประกาศช่องทางการติดต่อทางอิเล็กทรอนิกส์ ดังนี้"),
            Items(("ไปรษณีย์อิเล็กทรอนิกส์กลาง saraban@mdes.go.th",
                   "ระบบสารบรรณอิเล็กทรอนิกส์ https://saraban.mdes.go.th"), ordered=False),
            Paragraph("ทั้งนี้ ตั้งแต่วันที่ 1 เมษายน 2567 เป็นต้นไป"),
        ),
        signatories=(PERMANENT_SECRETARY,),
    )


def statement() -> Statement:
    return Statement(
        issuer=AGENCY,
        subject="สถานการณ์น้ำท่วมและการดำเนินงานของระบบสื่อสาร",
        series_no="1",
        date=DAY,
        body=(
            Paragraph("สำนักงานปลัดกระทรวงขอแถลงว่า ระบบสื่อสารในพื้นที่น้ำท่วมยังคงใช้งานได้ตามปกติ "
                      "และได้กำหนดมาตรการสำรองไว้เรียบร้อยแล้ว"),
        ),
    )


def news() -> News:
    return News(
        issuer=AGENCY,
        subject="เปิดใช้งานระบบสารบรรณอิเล็กทรอนิกส์ทั่วทั้งกระทรวง",
        series_no="12/2567",
        date=DAY,
        body=(
            Paragraph("วันนี้ (5 มีนาคม 2567) ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม "
                      "เป็นประธานเปิดใช้งานระบบสารบรรณอิเล็กทรอนิกส์ ซึ่งช่วยลดการใช้กระดาษได้กว่า 80 เปอร์เซ็นต์"),
        ),
    )


def certificate() -> Certificate:
    return Certificate(
        number="12/2567",
        agency=AGENCY_ADDRESS,
        subject="รับรองการปฏิบัติงาน นางสาวน้ำฝน ดำรงค์ศักดิ์",
        date=DAY,
        body=(
            Paragraph("หนังสือฉบับนี้ให้ไว้เพื่อรับรองว่า นางสาวน้ำฝน ดำรงค์ศักดิ์ ตำแหน่งนักจัดการงานทั่วไป "
                      "ปฏิบัติงานในสำนักงานปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม "
                      "ตั้งแต่วันที่ 1 ตุลาคม 2560 จนถึงปัจจุบัน"),
        ),
        signatories=(DIRECTOR,),
    )


def minutes() -> Minutes:
    return Minutes(
        subject="คณะทำงานพัฒนาระบบสารบรรณอิเล็กทรอนิกส์",
        session="1/2567",
        date=DAY,
        place="ห้องประชุม 1 ชั้น 9 สำนักงานปลัดกระทรวง",
        attendees=(Attendee("นางสาวกำไล น้ำใจดี", "ประธานคณะทำงาน"),
                   Attendee("นายวิชัย คำสอน", "คณะทำงาน")),
        absentees=(Attendee("นายดำรง ทองคำ", "คณะทำงาน", "ติดราชการ"),),
        participants=(Attendee("นายเอก สำราญ", "ผู้แทนกรมศิลปากร"),),
        started="09.30 น.",
        ended="12.00 น.",
        body=(
            Heading("ระเบียบวาระที่ 1 เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ"),
            Paragraph("ประธานแจ้งกำหนดการดำเนินงานระยะที่ 1 ให้แล้วเสร็จภายใน 90 วัน"),
            Paragraph("มติที่ประชุม รับทราบ"),
        ),
        recorder=Signatory("นางสุดา ดำรงค์", ("นักวิชาการคอมพิวเตอร์",)),
    )


def memo_record(typed_at: dt.datetime | None = None) -> MemoRecord:
    at = typed_at or dt.datetime(2024, 3, 5, 10, 42, tzinfo=BANGKOK)
    return MemoRecord(
        subject="มอบหมายดำเนินการตามหนังสือกรมศิลปากร",
        to=Addressee("ผู้อำนวยการกองกลาง"),
        body=(Paragraph("ทราบ มอบกองกลางดำเนินการตามที่เสนอ และรายงานผลภายในวันที่ 15 มีนาคม 2567"),),
        recorder=Signatory("นางสาวข. ตัวอย่าง", ("รองปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",),
                           typed_at=at, verified_by="ThaID"),
    )


def other() -> OtherRecord:
    return OtherRecord(
        title="บันทึกการส่งมอบเอกสาร",
        agency="กองกลาง สำนักงานปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
        subject="บันทึกการส่งมอบเอกสาร",
        date=DAY,
        body=(
            Paragraph("วันนี้ กองกลางได้ส่งมอบเอกสารจำนวน 25 แฟ้ม ให้แก่ศูนย์เทคโนโลยีสารสนเทศ "
                      "เพื่อดำเนินการแปลงเป็นเอกสารอิเล็กทรอนิกส์"),
        ),
        signatories=(DIRECTOR,),
    )


EXAMPLES = {
    "external": external,
    "memo": memo,
    "stamped": stamped,
    "order": order,
    "regulation": regulation,
    "rule": rule,
    "announcement": announcement,
    "statement": statement,
    "news": news,
    "certificate": certificate,
    "minutes": minutes,
    "memo_record": memo_record,
    "other": other,
}
"""Example name → builder; one for every :class:`~saraban.letterpress.content.Kind`."""


def example(name: str) -> Letter:
    """The example letter called ``name`` (a :class:`Kind` value)."""
    return EXAMPLES[name]()
