"""Pre-filling the desk from a letter's text: ที่, ลงวันที่, จาก, เรื่อง and เรียน (best effort).

:func:`prefill` takes *text* — the PDF's text layer today (:func:`saraban.letters.pdf.text_of`), OCR of a scan
later — and returns the fields it found.  The officer confirms or corrects every one; the registration
records which were pre-filled (and which the officer changed).

Text copied out of many PDFs confuses ``ำ`` and ``า`` (stack.md): shaping splits ``ำ`` and the font's text
mapping then drops it (``ดำเนินงาน`` → ``ดาเนินงาน``) or turns every ``า`` into ``ำ`` (``สำนักงบประมาณ`` →
``สำนักงบประมำณ``).  Labels and month names are matched with both read as ``า``; a text that shows either
flaw is repaired word by word from PyThaiNLP's dictionary before its values are used.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from saraban.kernel.thai import MONTHS_ABBR, MONTHS_FULL, parse_thai_date, to_arabic_digits

FIELDS = ("their_ref", "their_date", "sender", "subject", "addressee")
HEAD_LINES = 40
"""Only the top of the letter is read for the heading fields (the signature block is read from the end)."""


@dataclass(frozen=True)
class Prefill:
    """What the text gave: ``values`` by field name (``their_date`` a date), ``repaired`` if ำ/า were fixed."""

    values: dict[str, object] = field(default_factory=dict)
    repaired: bool = False

    @property
    def fields(self) -> list[str]:
        return [f for f in FIELDS if f in self.values]


def _am(text: str) -> str:
    return text.replace("ํา", "ำ").replace("\u0e4d\u0e32", "ำ")


def fold_am(text: str) -> str:
    """``ำ`` read as ``า``: the form both flaws agree on, for matching labels and month names."""
    return _am(text).replace("ำ", "า")


@cache
def _am_words() -> tuple[tuple[str, str], ...]:
    """(folded, real) for dictionary words with ``ำ`` whose folded form is no word itself, longest first."""
    from pythainlp.corpus import thai_words

    words = thai_words()
    pairs = [(w.replace("ำ", "า"), w) for w in words if "ำ" in w and len(w) >= 3]
    return tuple(sorted(((f, w) for f, w in pairs if f not in words), key=lambda p: -len(p[0])))


def flawed(text: str) -> bool:
    """Whether the text shows the ำ/า flaw: no ``ำ`` at all in a longer Thai text, or ``ำ`` outnumbering ``า``."""
    text = _am(text)
    a, am = text.count("า"), text.count("ำ")
    return (am == 0 and a >= 15) or (am > 0 and am >= a)


def repair_am(text: str) -> str:
    """Best-effort repair of a flawed text: every ``ำ`` read as ``า``, then dictionary words with ``ำ`` put back."""
    folded = fold_am(text)
    for wrong, right in _am_words():
        if wrong in folded:
            folded = folded.replace(wrong, right)
    return folded


_REF = re.compile(r"ที่\s*[:：]?\s*((?:[ก-ฮ]{1,6}\.?\s*)?[0-9]{1,5}(?:\.[0-9]+)*"
                  r"\s*/\s*(?:ว\s*\.?\s*)?[0-9]+(?:\s*/\s*[0-9]{4})?)")
_MONTHS = sorted({fold_am(m) for m in (*MONTHS_FULL, *MONTHS_ABBR)}, key=len, reverse=True)
_DATE = re.compile(r"(?<![0-9])([0-9]{1,2})\s*(" + "|".join(re.escape(m) for m in _MONTHS)
                   + r")\s*([0-9]{4}|[0-9]{2})(?![0-9])")
_LABEL = {"subject": re.compile(r"^\s*เรื่อง\s*[:：]?\s*(.+)$"), "addressee": re.compile(r"^\s*เรียน\s*[:：]?\s*(.+)$"),
          "unit": re.compile(r"^\s*ส่วนราชการ\s*[:：]?\s*(.+)$")}
_STOP = re.compile(r"^\s*(เรียน|อ้างถึง|สิ่งที่ส่งมาด้วย|ที่\s|ตาม|ด้วย|เนื่องด้วย)")


def _clean(value: str, limit: int) -> str:
    value = " ".join(value.split()).strip(" :：-")
    return value[:limit]


def _date(folded: str) -> dt.date | None:
    m = _DATE.search(folded)
    if not m:
        return None
    day, month, year = m.groups()
    name = next((n for n in (*MONTHS_FULL, *MONTHS_ABBR) if fold_am(n) == month), month)
    try:
        return parse_thai_date(f"{day} {name} {year}")
    except ValueError:
        return None


def _sender(lines: list[str], folded: list[str], ref_line: int | None, ref: str) -> str:
    for line in lines:  # memo: ส่วนราชการ … (before its telephone)
        m = _LABEL["unit"].match(line)
        if m:
            return _clean(re.split(r"\s(?:โทร|โทรศัพท์)\.?", m.group(1))[0], 500)
    if ref_line is None:
        return ""
    # external letter: the agency stands beside the number (top right), or on the line below it
    candidates = [lines[ref_line].split(ref, 1)[-1] if ref in lines[ref_line] else ""]
    if ref_line + 1 < len(lines):
        candidates.append(lines[ref_line + 1])
    for raw in candidates:
        text = _clean(raw, 500)
        if len(text) >= 4 and not re.search(r"[0-9]{2,}", text) and not _DATE.search(fold_am(text)) \
                and not text.startswith(("วันที่", "เรื่อง", "เรียน")):
            return text
    return ""


def _labelled(lines: list[str], key: str, limit: int, *, follow: bool = False) -> str:
    for i, line in enumerate(lines):
        m = _LABEL[key].match(line)
        if not m:
            continue
        value = m.group(1)
        if follow:  # a long subject wraps onto the next line(s), up to เรียน
            for nxt in lines[i + 1:i + 3]:
                if _STOP.match(nxt) or not nxt.strip():
                    break
                value += " " + nxt
        return _clean(value, limit)
    return ""


def prefill(text: str) -> Prefill:
    """The heading fields found in a letter's text (see the module docstring); empty when nothing is found."""
    text = unicodedata.normalize("NFC", to_arabic_digits(text or ""))
    repaired = flawed(text)
    if repaired:
        text = repair_am(text)
    lines = [line for line in text.splitlines() if line.strip()][:HEAD_LINES]
    folded = [fold_am(line) for line in lines]
    values: dict[str, object] = {}
    ref_line, ref = None, ""
    for i, line in enumerate(lines):
        m = _REF.search(line)
        if m and "ลงวันที่" not in line[: m.start() + 3]:
            ref_line, ref = i, _clean(m.group(1), 255)
            values["their_ref"] = ref
            break
    day = next((d for d in (_date(f) for f in folded) if d is not None), None)
    if day is not None:
        values["their_date"] = day
    sender = _sender(lines, folded, ref_line, ref)
    if sender:
        values["sender"] = sender
    subject = _labelled(lines, "subject", 1000, follow=True)
    if subject:
        values["subject"] = subject
    addressee = _labelled(lines, "addressee", 500)
    if addressee:
        values["addressee"] = addressee
    return Prefill(values, repaired)
