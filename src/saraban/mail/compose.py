"""The e-mails Saraban writes: an issued letter with its enclosures, and the reply with the receipt number.

Thai subjects and file names are encoded per RFC 2047 (headers) and RFC 2231 (file names) by the standard
library's ``email`` package (``policy.SMTP``: CRLF line ends, lines folded at 78).  A classified letter's
subject never goes into a mail: such letters are not sent by e-mail at all, and a reply about one names
only its numbers.
"""

from __future__ import annotations

import datetime as dt
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime as rfc_date
from email.utils import formataddr, make_msgid

from saraban.kernel import clock
from saraban.kernel.ids import uuid7
from saraban.kernel.thai import format_date, format_datetime
from saraban.letters.models import FileRole, Letter, LetterFile
from saraban.orgs.models import Agency
from saraban.registry.models import RegisterEntry
from saraban.storage import blobs

from .models import MailMessage
from .parse import envelope_domain

URGENCY_TH = {"urgent": "ด่วน", "very_urgent": "ด่วนมาก", "most_urgent": "ด่วนที่สุด"}


def new_message_id(address: str) -> str:
    return make_msgid(idstring=uuid7().hex, domain=envelope_domain(address) or "saraban.invalid")


def _base(from_addr: str, from_name: str, to: str, subject: str, mid: str) -> EmailMessage:
    m = EmailMessage(policy=policy.SMTP)
    m["From"] = formataddr((from_name, from_addr))
    m["To"] = to
    m["Subject"] = subject
    m["Date"] = rfc_date(clock.now())
    m["Message-ID"] = mid
    m["MIME-Version"] = "1.0"
    m["X-Saraban"] = "1"
    return m


def letter_files(letter: Letter) -> tuple[LetterFile, list[LetterFile]]:
    """What is sent: the newest signed copy (else the numbered one, else the letter), and the enclosures in
    their order, byte for byte."""
    from saraban.exchange.build import enclosure_files, letter_file

    main = letter_file(letter)
    if main is None:
        raise LookupError("the letter has no file")
    return main, enclosure_files(letter)


def _pdf_name(name: str, fallback: str) -> str:
    name = (name or fallback).strip()
    return name if name.lower().endswith(".pdf") else f"{name}.pdf"


def letter_mail(letter: Letter, to_addr: str, to_name: str, *, from_addr: str, mid: str) -> bytes:
    """The e-mail carrying an issued letter (the signed PDF and its enclosures, unchanged)."""
    agency: Agency = letter.agency
    unit = letter.unit
    entry = RegisterEntry.objects.filter(letter=letter, cancelled=False).order_by("registered_at").first()
    number = entry.display if entry else letter.their_ref
    date = format_date(letter.letter_date) if letter.letter_date else ""
    urgency = URGENCY_TH.get(letter.urgency, "")
    subject = " ".join(p for p in (urgency, f"ที่ {number}", f"ลงวันที่ {date}" if date else "", f"เรื่อง {letter.subject}")
                       if p)
    main, enclosures = letter_files(letter)
    files = [(_pdf_name(main.name, "หนังสือ"), "application/pdf", blobs.read(main.blob))]
    files += [(f.name or f"สิ่งที่ส่งมาด้วย {i}", f.blob.content_type or "application/octet-stream", blobs.read(f.blob))
              for i, f in enumerate(enclosures, 1)]
    lines = [f"เรียน {letter.addressee or to_name}", "",
             f"{agency.name_th} ขอส่งหนังสือที่ {number}" + (f" ลงวันที่ {date}" if date else "")
             + f" เรื่อง {letter.subject} มาพร้อมนี้ รายละเอียดตามไฟล์แนบ", ""]
    lines += [f"  1. {files[0][0]} (หนังสือ)"]
    lines += [f"  {i}. {f.title or name} (สิ่งที่ส่งมาด้วย)" for i, (f, (name, _, _)) in
              enumerate(zip(enclosures, files[1:], strict=True), 2)]
    lines += ["", "ไฟล์หนังสือเป็นไฟล์ PDF ที่ลงลายมือชื่ออิเล็กทรอนิกส์ โปรดอย่าแก้ไขไฟล์ เพื่อให้ตรวจสอบลายมือชื่อได้"
              if main.role == FileRole.SIGNED else "", "", "จึงเรียนมาเพื่อโปรดทราบ", "",
              unit.name_th, agency.name_th]
    if unit.phone:
        lines.append(f"โทร {unit.phone}")
    lines.append(f"ไปรษณีย์อิเล็กทรอนิกส์กลาง {from_addr}")
    m = _base(from_addr, agency.name_th, formataddr((to_name, to_addr)), subject, mid)
    m["X-Saraban-Letter"] = str(letter.letter_uuid)
    m.set_content("\n".join(lines) + "\n")
    for name, ctype, data in files:
        maintype, _, subtype = ctype.partition("/")
        m.add_attachment(data, maintype=maintype, subtype=subtype or "octet-stream", filename=name)
    return m.as_bytes()


def reply_text(msg: MailMessage, secrecy: str = "normal", their_ref: str = "", subject: str = "") -> tuple[str, str]:
    """The standard Thai reply with the receipt number (the officer may edit it before sending): the letter
    named by its ที่ and เรื่อง as registered (a classified letter by its numbers only)."""
    reg = msg.registration or {}
    agency = msg.agency
    number = reg.get("number", "")
    when = ""
    if reg.get("date"):
        day = dt.date.fromisoformat(reg["date"])
        when = f" วันที่ {format_date(day)}" + (f" เวลา {reg['time'].replace(':', '.')} น." if reg.get("time") else "")
    about = f" ที่ {their_ref}" if their_ref else ""
    if secrecy == "normal" and not msg.classified and (subject or msg.subject):
        about += f" เรื่อง {subject or msg.subject}"
    received = format_datetime(clock.to_bkk(msg.received_at))
    reply_subject = f"แจ้งเลขรับหนังสือ เลขรับที่ {number}"
    body = "\n".join([
        f"เรียน {msg.from_name or msg.from_addr}", "",
        f"ตามที่ท่านได้ส่งหนังสือ{about} ทางไปรษณีย์อิเล็กทรอนิกส์ถึง{agency.name_th} เมื่อ {received} นั้น",
        "", f"{agency.name_th} ได้รับหนังสือดังกล่าวและลงทะเบียนรับแล้ว เลขรับที่ {number}{when}",
        "", "จึงเรียนมาเพื่อโปรดทราบ", "", reg.get("unit", ""), agency.name_th,
    ]) + "\n"
    return reply_subject, body


def reply_mail(msg: MailMessage, *, from_addr: str, subject: str, body: str, mid: str) -> bytes:
    m = _base(from_addr, msg.agency.name_th, msg.from_addr, subject, mid)
    if msg.message_id:
        m["In-Reply-To"] = msg.message_id
        m["References"] = msg.message_id
    m.set_content(body)
    return m.as_bytes()
