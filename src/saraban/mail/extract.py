"""Proposed registration fields from a mail: the letter's ที่ and date, read from the letter PDF's first page,
else from the subject and the text.  Only a proposal: the officer confirms at registration."""

from __future__ import annotations

import datetime as dt
import re

from saraban.kernel.thai import MONTHS_ABBR, MONTHS_FULL, normalize, parse_thai_date, to_arabic_digits

_D = "0-9๐-๙"
# ที่ ดศ 0201/1234, ที่ ดศ ๐๒๐๑.๓/ว ๑๒๓, ที่ สพธอ 01/2569
REF = re.compile(rf"ที่\s*([ก-ฮ]{{1,6}}\.?\s*[{_D}]{{2,5}}(?:\.[{_D}]+)*\s*/\s*(?:ว\s*)?[{_D}]{{1,6}}"
                 rf"(?:\s*/\s*[{_D}]{{2,4}})?)")
_MONTHS = "|".join(re.escape(m) for m in (*MONTHS_FULL, *MONTHS_ABBR))
DATE = re.compile(rf"([{_D}]{{1,2}})\s*({_MONTHS})\s*(?:พ\.ศ\.\s*)?([{_D}]{{2,4}})")


def pdf_first_page_text(pdf: bytes) -> str:
    """The text of page 1 (empty if it has none or cannot be read)."""
    try:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(pdf)
        try:
            if len(doc) == 0:
                return ""
            page = doc[0]
            text = page.get_textpage().get_text_range()
            return text[:20000]
        finally:
            doc.close()
    except Exception:  # an unreadable PDF proposes nothing; the checks say why
        return ""


def their_ref(*texts: str) -> str:
    for text in texts:
        m = REF.search(text or "")
        if m:
            return " ".join(m.group(1).split())[:255]
    return ""


def their_date(*texts: str) -> dt.date | None:
    for text in texts:
        for m in DATE.finditer(text or ""):
            try:
                return parse_thai_date(f"{m.group(1)} {m.group(2)} {m.group(3)}")
            except ValueError:
                continue
    return None


def subject_of(subject: str, *texts: str) -> str:
    """The letter's เรื่อง: from a ``เรื่อง …`` line of the letter, else the mail's subject without Fwd:/Re:."""
    for text in texts:
        m = re.search(r"เรื่อง\s+([^\n\r]{3,300})", text or "")
        if m:
            return " ".join(m.group(1).split())[:1000]
    s = re.sub(r"^\s*((re|fw|fwd|ตอบกลับ|ส่งต่อ)\s*:\s*)+", "", subject or "", flags=re.I)
    s = re.sub(r"^.*?เรื่อง\s*", "", s) if "เรื่อง" in s else s
    return " ".join(s.split())[:1000]


def dup_key(ref: str, sender: str, date: dt.date | None) -> str:
    """The same letter whatever the channel: ที่ + sender + date, digits normalised (๑ = 1), spaces ignored."""
    if not ref or date is None:
        return ""
    squash = lambda s: normalize(to_arabic_digits(s)).replace(" ", "").replace(".", "")  # noqa: E731
    return f"{squash(ref)}|{squash(sender)}|{date.isoformat()}"
