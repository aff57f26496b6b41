"""Demo content: a few letters from other agencies waiting in the registrar's queue."""

from __future__ import annotations

import datetime as dt
import html

from django.contrib.auth import get_user_model

from saraban.intake import actions as intake
from saraban.intake.models import IntakeItem
from saraban.kernel import clock
from saraban.kernel.thai import format_date
from saraban.letterpress.html_pdf import font_css, html_to_pdf
from saraban.registry.actions import Upload
from saraban.registry.validation import IntakeMetadata

LOGINS = [
    ("admin", "ผู้ดูแลระบบ / administrator"),
    ("registrar", "เจ้าหน้าที่สารบรรณ สป.ดศ. / saraban officer, Office of the Permanent Secretary"),
    ("secretary", "นายทะเบียนหนังสือลับ (ลับมาก) / secret-document registrar, cleared for ลับมาก"),
    ("director", "ผู้อำนวยการกองกลาง / executive"),
    ("deputy", "รองปลัดกระทรวง ลงนามปฏิบัติราชการแทนปลัดกระทรวง (ตามคำสั่งมอบอำนาจตัวอย่าง) / signs under delegation"),
    ("tmd-registrar", "เจ้าหน้าที่สารบรรณ กรมอุตุนิยมวิทยา / saraban officer, TMD"),
]

SAMPLES = [
    ("นร 0105/ว 123", "สำนักเลขาธิการคณะรัฐมนตรี", "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
     "การพิมพ์หนังสือราชการด้วยแบบอักษรมาตรฐาน", "most_urgent", 2),
    ("ดศ 0501/1457", "กรมอุตุนิยมวิทยา", "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
     "ขอความร่วมมือเผยแพร่ประกาศเตือนภัยพายุฤดูร้อน", "urgent", 1),
    ("สพธอ 01/2215", "สำนักงานพัฒนาธุรกรรมทางอิเล็กทรอนิกส์", "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
     "ขอเชิญประชุมคณะทำงานมาตรฐานลายมือชื่ออิเล็กทรอนิกส์", "normal", 3),
    ("ดศ 0401/ว 88", "สำนักงานสถิติแห่งชาติ", "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
     "ขอความอนุเคราะห์ข้อมูลสถิติการใช้บริการดิจิทัลภาครัฐ ประจำปีงบประมาณ", "very_urgent", 4),
]


def sample_letter_pdf(ref: str, sender: str, to: str, subject: str, day: dt.date, urgency_th: str = "") -> bytes:
    e = html.escape
    doc = f"""<!doctype html><html lang="th"><head><meta charset="utf-8"><style>{font_css()}
@page {{ size: A4; margin: 2cm 2cm 2cm 3cm; }}
body {{ font-family: Sarabun; font-size: 16pt; line-height: 1.35; }}
.urg {{ color: #c00; font-size: 32pt; font-weight: 700; }}
.head {{ display: flex; justify-content: space-between; margin-top: 1cm; }}
.center {{ text-align: center; }} p {{ text-indent: 2.5cm; margin: .3em 0; }}
.sig {{ margin-left: 8cm; margin-top: 1.2cm; text-align: center; }}
</style></head><body>
<div class="urg">{e(urgency_th)}</div>
<div class="head"><div>ที่ {e(ref)}</div><div>{e(sender)}</div></div>
<div class="center" style="margin-top:.6cm">{format_date(day, style="full")}</div>
<div>เรื่อง&nbsp;&nbsp;{e(subject)}</div>
<div>เรียน&nbsp;&nbsp;{e(to)}</div>
<p>ด้วย{e(sender)}มีความประสงค์จะดำเนินการเรื่อง{e(subject)} จึงขอความร่วมมือจากหน่วยงานของท่าน
ในการพิจารณาดำเนินการตามที่เห็นสมควร ทั้งนี้ ขอได้โปรดแจ้งผลการดำเนินการให้ทราบภายในกำหนด</p>
<p>จึงเรียนมาเพื่อโปรดพิจารณา</p>
<div class="sig">ขอแสดงความนับถือ<br><br><br>(นายตัวอย่าง ทดสอบระบบ)<br>ผู้อำนวยการ</div>
<div style="margin-top:1.5cm;font-size:14pt">(เอกสารตัวอย่างสำหรับทดลองใช้ระบบ)</div>
</body></html>"""
    return html_to_pdf(doc)


URGENCY_TH = {"normal": "", "urgent": "ด่วน", "very_urgent": "ด่วนมาก", "most_urgent": "ด่วนที่สุด"}


def seeded() -> bool:
    """Whether the sample letters were put in the queue already."""
    return IntakeItem.objects.filter(source_ref__startswith="demo-").exists()


def seed_intake(unit_code: str = "ops-central") -> int:
    """Put the sample letters in the queue once (nothing if the queue already had them)."""
    if seeded():
        return 0
    user = get_user_model().objects.get(username="registrar")
    today = clock.today()
    for i, (ref, sender, to, subject, urgency, days_ago) in enumerate(SAMPLES):
        day = today - dt.timedelta(days=days_ago)
        pdf = sample_letter_pdf(ref, sender, to, subject, day, URGENCY_TH[urgency])
        meta = IntakeMetadata.model_validate({"their_ref": ref, "their_date": day, "sender": sender, "addressee": to,
                                              "subject": subject, "urgency": urgency, "unit": unit_code})
        intake.submit(user, meta, Upload(pdf, f"letter-{i + 1}.pdf"), channel="email" if i % 2 else "upload",
                      source_ref=f"demo-{i + 1}")
    return len(SAMPLES)
