"""Turn pydantic validation failures into coded errors with Thai and English messages."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from .errors import InvalidInput

M = TypeVar("M", bound=BaseModel)

FIELD_TH = {
    "their_ref": "ที่ (เลขที่หนังสือ)", "their_date": "ลงวันที่", "letter_date": "ลงวันที่", "sender": "จาก",
    "addressee": "ถึง", "subject": "เรื่อง", "kind": "ชนิดหนังสือ", "urgency": "ชั้นความเร็ว",
    "secrecy": "ชั้นความลับ", "unit": "หน่วยงาน", "remark": "หมายเหตุ", "book": "ทะเบียน", "reason": "เหตุผล",
    "allow_duplicate": "ยืนยันลงทะเบียนซ้ำ", "letter_uuid": "รหัสหนังสือ", "metadata": "ข้อมูลหนังสือ",
    "file": "ไฟล์",
}

FIELD_EN = {
    "their_ref": "Reference", "their_date": "Date", "letter_date": "Date", "sender": "From", "addressee": "To",
    "subject": "Subject", "kind": "Kind", "urgency": "Urgency", "secrecy": "Secrecy", "unit": "Unit",
    "remark": "Remark", "book": "Register", "reason": "Reason", "allow_duplicate": "Different-letter confirmation",
    "letter_uuid": "Letter id", "metadata": "Letter details", "file": "File",
}
_DATE_EN = "not a valid date (type e.g. 25/12/2568)"
_KIND_EN = {"date_from_datetime_parsing": _DATE_EN, "date_parsing": _DATE_EN, "date_type": _DATE_EN}

_KIND_TH = {
    "missing": "ต้องระบุ", "string_too_short": "ต้องไม่ว่าง", "string_too_long": "ยาวเกินกำหนด",
    "literal_error": "ค่าไม่อยู่ในรายการที่กำหนด", "enum": "ค่าไม่อยู่ในรายการที่กำหนด",
    "date_from_datetime_parsing": "รูปแบบวันที่ไม่ถูกต้อง (พิมพ์ เช่น 25/12/2568)",
    "date_parsing": "รูปแบบวันที่ไม่ถูกต้อง (พิมพ์ เช่น 25/12/2568)", "date_type": "รูปแบบวันที่ไม่ถูกต้อง (พิมพ์ เช่น 25/12/2568)",
    "extra_forbidden": "ไม่รู้จักช่องนี้", "bool_parsing": "ต้องเป็น true หรือ false", "bool_type": "ต้องเป็น true หรือ false",
    "string_type": "ต้องเป็นข้อความ", "uuid_parsing": "รูปแบบรหัสไม่ถูกต้อง", "value_error": "ค่าไม่ถูกต้อง",
    "model_type": "ต้องเป็นออบเจกต์ JSON", "dict_type": "ต้องเป็นออบเจกต์ JSON",
    "blank_text": "ต้องมีตัวอักษรที่มองเห็นได้ (ไม่ใช่เพียงอักขระล่องหน)",
    "date_too_early": "วันที่เก่าเกินไป (ต้องไม่ก่อน 1 มกราคม พ.ศ. 2443) ตรวจสอบว่าใส่ปี ค.ศ. ถูกต้อง",
}

EARLIEST_DATE = dt.date(1900, 1, 1)
"""No letter we register is older (B.E. 2443): year 1, or a B.E. year converted twice (1483), is a mistake."""


def has_visible(value: str) -> bool:
    """Does ``value`` hold anything a reader sees?  Blanks and format characters (zero-width spaces and
    joiners, direction marks, the BOM, soft hyphens: Unicode category Cf) do not count."""
    return any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in value)


def visible_text(value: str) -> str:
    """A required text: refused (``blank_text``) unless something in it is visible."""
    if not has_visible(value):
        raise PydanticCustomError("blank_text", "must contain visible characters, not only invisible ones")
    return value


def optional_text(value: str) -> str:
    """An optional text: one with nothing visible in it is taken as empty."""
    return value if has_visible(value) else ""


def official_date(value: dt.date | None) -> dt.date | None:
    """A letter's date: refused (``date_too_early``) before :data:`EARLIEST_DATE`."""
    if value is not None and value < EARLIEST_DATE:
        raise PydanticCustomError("date_too_early", "the date is before 1900-01-01; check the year (C.E.)")
    return value


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "__root__") or "metadata"
        name = loc.split(".")[0]
        kind = err.get("type", "value_error")
        th = _KIND_TH.get(kind, "ค่าไม่ถูกต้อง")
        ctx = err.get("ctx") or {}
        if kind == "literal_error" and "expected" in ctx:
            th = f"{th}: {ctx['expected']}"
        out.append({
            "field": loc,
            "message_th": f"{FIELD_TH.get(name, name)}: {th}",
            "message_en": f"{FIELD_EN.get(name, loc)}: {_KIND_EN.get(kind, err.get('msg', 'invalid'))}",
        })
    return out


def parse(model: type[M], data: Any) -> M:
    """Validate ``data`` or raise :class:`InvalidInput` naming every bad field in both languages."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = field_errors(exc)
        raise InvalidInput(
            "ข้อมูลไม่ถูกต้อง: " + "; ".join(e["message_th"] for e in errors),
            "Invalid input: " + "; ".join(e["message_en"] for e in errors),
            details={"fields": errors},
        ) from exc
