"""The "ที่" of a letter: parsing and checking the reference numbers of regulation §5.1 and §13.1.

``ดศ 0201/1234`` (letter), ``ดศ 0201/ว 12`` (circular), ``ศธ 0527.10/ว 099`` (sub-unit), ``15/2567``
(order or certificate).  Thai digits are read as Arabic ones, so ``๑๕/๒๕๖๗`` equals ``15/2567``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from saraban.kernel.errors import InvalidInput
from saraban.kernel.thai import to_arabic_digits

RefKind = Literal["letter", "circular", "order"]

_LETTER = re.compile(
    r"^(?:ที่\s*)?(?P<code>[ก-ฮ]{1,6})\s+(?P<unit>\d{2,6}(?:\.\d{1,4})*)/(?P<circ>ว\s*)?(?P<num>\d{1,6})$"
)
_ORDER = re.compile(r"^(?:ที่\s*)?(?P<num>\d{1,6})/(?P<year>\d{4})$")


class BadReference(InvalidInput):
    code = "bad_reference"
    message_th = "รูปแบบเลขที่หนังสือไม่ถูกต้อง"
    message_en = "Malformed letter reference"


@dataclass(frozen=True)
class Reference:
    kind: RefKind
    number: int
    letter_code: str = ""
    unit_number: str = ""
    year_be: int | None = None

    def canonical(self) -> str:
        if self.kind == "order":
            return f"{self.number}/{self.year_be}"
        circ = "ว " if self.kind == "circular" else ""
        return f"{self.letter_code} {self.unit_number}/{circ}{self.number}"


def parse_reference(text: str, *, letter_kind: str = "external") -> Reference:
    """Parse a ที่; ``n/B.E. year`` is only valid for orders (directives) and certificates (records)."""
    raw = " ".join(to_arabic_digits(text).split())
    m = _LETTER.match(raw)
    if m:
        return Reference(
            kind="circular" if m.group("circ") else "letter", number=int(m.group("num")),
            letter_code=m.group("code"), unit_number=m.group("unit"),
        )
    m = _ORDER.match(raw)
    if m:
        if letter_kind not in ("directive", "record"):
            raise BadReference("เลขที่แบบ n/ปี พ.ศ. ใช้ได้เฉพาะคำสั่งและหนังสือรับรอง",
                               "n/B.E.-year numbers are for orders and certificates only")
        year = int(m.group("year"))
        if not 2400 <= year <= 2800:
            raise BadReference("ปีในเลขที่ต้องเป็นปีพุทธศักราช", "The year in the reference must be B.E.")
        return Reference(kind="order", number=int(m.group("num")), year_be=year)
    if re.match(r"^(?:ที่\s*)?[ก-ฮ]{1,6}\.", raw):
        raise BadReference("รหัสตัวพยัญชนะของส่วนราชการต้องไม่มีจุด (เช่น ดศ ไม่ใช่ ดศ.)",
                           "Letter codes take no full stop (ดศ, not ดศ.)")
    if re.match(r"^(?:ที่\s*)?[ก-ฮ]{1,6}\s+[\d.]+/(?:ว\s*)?\d+/\d+$", raw):
        raise BadReference("ปีไม่เป็นส่วนหนึ่งของเลขที่หนังสือ (ปีอยู่ในบรรทัดวันที่)",
                           "The year is not part of a letter's number; it belongs on the date line")
    raise BadReference()


def same_reference(a: str, b: str, *, letter_kind: str = "external") -> bool:
    return parse_reference(a, letter_kind=letter_kind) == parse_reference(b, letter_kind=letter_kind)
