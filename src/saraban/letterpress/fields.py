"""The editor's fields for each kind of letter, and how a form's values become letter content.

A form is a flat mapping of strings (what an HTML form or a simple API client sends).  The body is
the editor's plain text (:func:`saraban.letterpress.content.parse_body`); lists of lines (agency
address, references, enclosures, copies) are one item a line; meeting attendees are one a line as
``name | position | note``.  Who signs is not a form field: it comes from the draft's signers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from saraban.kernel.clock import BANGKOK
from saraban.kernel.thai import format_user_date, parse_user_date

from . import serial
from .content import (
    Addressee,
    Attendee,
    Contact,
    Kind,
    Letter,
    Secrecy,
    StampedPurpose,
    Urgency,
    body_text,
    parse_body,
)
from .salutations import APPENDIX_2, RecipientClass

Widget = Literal["text", "lines", "select", "date", "int", "datetime"]


@dataclass(frozen=True)
class Field:
    name: str
    label_th: str
    label_en: str
    widget: Widget = "text"
    choices: tuple[tuple[str, str], ...] = ()
    help_th: str = ""
    help_en: str = ""


URGENCY_CHOICES = tuple((u.value, u.value) for u in Urgency)
SECRECY_CHOICES = tuple((s.value, s.value) for s in Secrecy if s != Secrecy.TOP_SECRET)
CLASS_CHOICES = tuple((c.value, f"{s.opening.split(' ')[0]} / {s.closing} — {s.label_th}")
                      for c, s in APPENDIX_2.items())
PURPOSE_CHOICES = tuple((p.value, p.value) for p in StampedPurpose)

COMMON = (
    Field("subject", "เรื่อง", "Subject"),
    Field("urgency", "ชั้นความเร็ว", "Urgency", "select", URGENCY_CHOICES),
    Field("urgent_by", "ด่วนภายใน (วันที่ เวลา)", "Reply by (date time)", "datetime",
          help_th="เช่น 15/3/2569 16.30 — เว้นว่างได้", help_en="e.g. 15/3/2569 16.30 (B.E.); may be left empty"),
    Field("secrecy", "ชั้นความลับ", "Secrecy", "select", SECRECY_CHOICES),
)
TO = (
    Field("to_title", "เรียน (ตำแหน่งผู้รับ)", "To (recipient's position)"),
    Field("to_class", "คำขึ้นต้น/คำลงท้าย (ภาคผนวก 2)", "Salutation (Appendix 2)", "select", CLASS_CHOICES),
)
CONTACT = (
    Field("contact_unit", "ส่วนราชการเจ้าของเรื่อง", "Originating unit"),
    Field("contact_phone", "โทร.", "Telephone"),
    Field("contact_fax", "โทรสาร", "Fax"),
    Field("contact_email", "ไปรษณีย์อิเล็กทรอนิกส์", "E-mail"),
)
ATTENDEE_HELP = "หนึ่งคนต่อบรรทัด: ชื่อ | ตำแหน่ง | หมายเหตุ"
ATTENDEE_HELP_EN = "One person a line: name | position | remark"

KIND_FIELDS: dict[Kind, tuple[Field, ...]] = {
    Kind.EXTERNAL: (
        Field("agency", "ส่วนราชการเจ้าของหนังสือและที่ตั้ง", "Issuing agency and address", "lines"),
        *TO,
        Field("references", "อ้างถึง", "Reference", "lines"),
        Field("enclosures", "สิ่งที่ส่งมาด้วย", "Enclosures", "lines"),
        *CONTACT,
        Field("copies_to", "สำเนาส่ง", "Copies to", "lines"),
    ),
    Kind.MEMO: (Field("unit", "ส่วนราชการ", "Owning unit"), *TO),
    Kind.STAMPED: (
        Field("to", "ถึง", "To"),
        Field("purpose", "ใช้สำหรับ (ข้อ 13)", "Purpose (art. 13)", "select", PURPOSE_CHOICES),
        Field("sending_agency", "ส่วนราชการที่ส่งหนังสือออก", "Sending agency"),
        Field("initials", "อักษรย่อผู้รับผิดชอบ (ลงชื่อย่อกำกับตรา)", "Initials beside the seal"),
        *CONTACT,
    ),
    Kind.ORDER: (Field("issuer", "คำสั่ง (ส่วนราชการหรือตำแหน่งผู้สั่ง)", "Issuing agency or authority"),),
    Kind.REGULATION: (
        Field("issuer", "ระเบียบ (ส่วนราชการ)", "Issuing agency"),
        Field("edition", "ฉบับที่", "Edition", "int"),
        Field("year_be", "พ.ศ.", "B.E. year", "int"),
    ),
    Kind.RULE: (
        Field("issuer", "ข้อบังคับ (ส่วนราชการ)", "Issuing body"),
        Field("edition", "ฉบับที่", "Edition", "int"),
        Field("year_be", "พ.ศ.", "B.E. year", "int"),
    ),
    Kind.ANNOUNCEMENT: (
        Field("heading_word", "คำขึ้นต้น", "Heading word", "select", (("ประกาศ", "ประกาศ"), ("แจ้งความ", "แจ้งความ"))),
        Field("issuer", "ส่วนราชการที่ออกประกาศ", "Issuing agency"),
    ),
    Kind.STATEMENT: (
        Field("issuer", "ส่วนราชการที่ออกแถลงการณ์", "Issuing agency"),
        Field("series_no", "ฉบับที่", "Number in series"),
    ),
    Kind.NEWS: (
        Field("issuer", "ส่วนราชการที่ออกข่าว", "Issuing agency"),
        Field("series_no", "ฉบับที่", "Number in series"),
    ),
    Kind.CERTIFICATE: (Field("agency", "ส่วนราชการที่ออกหนังสือรับรองและที่ตั้ง", "Issuing agency", "lines"),),
    Kind.MINUTES: (
        Field("session", "ครั้งที่", "Session"),
        Field("meeting_date", "เมื่อวันที่", "Meeting date", "date"),
        Field("place", "ณ", "Place"),
        Field("attendees", "ผู้มาประชุม", "Attendees", "lines", help_th=ATTENDEE_HELP, help_en=ATTENDEE_HELP_EN),
        Field("absentees", "ผู้ไม่มาประชุม", "Absentees", "lines", help_th=ATTENDEE_HELP, help_en=ATTENDEE_HELP_EN),
        Field("participants", "ผู้เข้าร่วมประชุม", "Other participants", "lines", help_th=ATTENDEE_HELP,
              help_en=ATTENDEE_HELP_EN),
        Field("started", "เริ่มประชุมเวลา", "Started at"),
        Field("ended", "เลิกประชุมเวลา", "Ended at"),
    ),
    Kind.MEMO_RECORD: TO,
    Kind.OTHER: (Field("title", "ชื่อหนังสือ", "Title"), Field("agency", "ส่วนราชการ", "Agency")),
}


def fields_for(kind: Kind | str) -> tuple[Field, ...]:
    """The editor's fields for ``kind`` (common fields first; the body is separate)."""
    return (*COMMON, *KIND_FIELDS[Kind(kind)])


def _lines(value: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in value.splitlines() if line.strip())


def _attendees(value: str) -> tuple[Attendee, ...]:
    out = []
    for line in _lines(value):
        parts = [p.strip() for p in line.split("|")] + ["", ""]
        out.append(Attendee(parts[0], parts[1], parts[2]))
    return tuple(out)


def _attendee_lines(people: tuple[Attendee, ...]) -> str:
    lines = []
    for a in people:
        parts = [a.name, a.position, a.note]
        while len(parts) > 1 and not parts[-1]:
            parts.pop()
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def _datetime_text(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(BANGKOK)
    return f"{format_user_date(local.date())} {local.hour:02d}.{local.minute:02d}"


def _parse_datetime(text: str) -> dt.datetime | None:
    text = text.strip()
    if not text:
        return None
    day_text, _, time_text = text.rpartition(" ")
    if not day_text:
        day_text, time_text = text, "00.00"
    hour, _, minute = time_text.replace(":", ".").partition(".")
    try:
        day = parse_user_date(day_text)
        return dt.datetime(day.year, day.month, day.day, int(hour), int(minute or 0), tzinfo=BANGKOK)
    except ValueError as exc:
        raise serial.ContentInvalid("รูปแบบ ด่วนภายใน ไม่ถูกต้อง (เช่น 15/3/2569 16.30)",
                                    "'Reply by' must look like 15/3/2569 16.30",
                                    details={"field": "urgent_by"}) from exc


def form_values(letter: Letter) -> dict[str, str]:
    """The editor's values for ``letter``."""
    out: dict[str, str] = {
        "subject": letter.subject, "urgency": letter.urgency.value, "secrecy": letter.secrecy.value,
        "urgent_by": _datetime_text(letter.urgent_by), "body": body_text(letter.body),
    }
    for f in KIND_FIELDS[letter.kind]:
        name = f.name
        if name in ("to_title", "to_class"):
            to: Addressee = letter.to  # type: ignore[attr-defined]
            out[name] = to.title if name == "to_title" else to.recipient_class.value
        elif name.startswith("contact_"):
            contact: Contact | None = letter.contact  # type: ignore[attr-defined]
            out[name] = getattr(contact, name[8:]) if contact else ""
        elif name == "meeting_date":
            out[name] = format_user_date(letter.date)  # type: ignore[attr-defined]
        elif name in ("attendees", "absentees", "participants"):
            out[name] = _attendee_lines(getattr(letter, name))
        else:
            value = getattr(letter, name)
            if isinstance(value, tuple):
                out[name] = "\n".join(value)
            elif value is None:
                out[name] = ""
            else:
                out[name] = str(value.value if hasattr(value, "value") else value)
    return out


def apply_form(base: Letter, form: dict[str, Any]) -> Letter:
    """``base`` with the editor's ``form`` values applied (fields missing from ``form`` keep their value).

    Raises :class:`~saraban.letterpress.serial.ContentInvalid` for a value of the wrong shape.
    """
    data = serial.to_json(base)
    for key in ("subject", "urgency", "secrecy"):
        if key in form:
            data[key] = str(form[key]).strip()
    if "urgent_by" in form:
        when = _parse_datetime(str(form["urgent_by"]))
        data["urgent_by"] = when.isoformat() if when else None
    if "body" in form:
        data["body"] = serial.to_json(parse_body(str(form["body"])))
    for f in KIND_FIELDS[base.kind]:
        if f.name not in form:
            continue
        raw = str(form[f.name] if form[f.name] is not None else "")
        if f.name == "to_title":
            data["to"] = {**data["to"], "title": raw.strip()}
        elif f.name == "to_class":
            data["to"] = {**data["to"], "recipient_class": raw.strip() or RecipientClass.GENERAL.value}
        elif f.name.startswith("contact_"):
            contact = data.get("contact") or {"unit": ""}
            contact[f.name[8:]] = raw.strip()
            data["contact"] = contact if any(contact.values()) else None
        elif f.name == "meeting_date":
            try:
                data["date"] = parse_user_date(raw).isoformat() if raw.strip() else None
            except ValueError as exc:
                raise serial.ContentInvalid("รูปแบบวันที่ประชุมไม่ถูกต้อง (เช่น 5/3/2569)",
                                            "The meeting date must look like 5/3/2569",
                                            details={"field": "meeting_date"}) from exc
        elif f.name in ("attendees", "absentees", "participants"):
            data[f.name] = serial.to_json(_attendees(raw))
        elif f.widget == "lines":
            data[f.name] = list(_lines(raw))
        elif f.widget == "int":
            text = raw.strip()
            if text and not text.isdigit():
                raise serial.ContentInvalid(f"{f.label_th} ต้องเป็นตัวเลข", f"{f.label_en} must be a number",
                                            details={"field": f.name})
            data[f.name] = int(text) if text else None
        else:
            data[f.name] = raw.strip()
    return serial.from_json(data)


def replace(letter: Letter, **changes: Any) -> Letter:
    """``dataclasses.replace`` for letters (only fields the kind has)."""
    names = {f.name for f in dataclasses.fields(letter)}
    return dataclasses.replace(letter, **{k: v for k, v in changes.items() if k in names})
