"""What a letter says: typed descriptions of the six kinds of official letter and their sub-kinds.

Fields and their order follow regulation.md §3 (ข้อ 10–27, forms 1–11).  These objects hold the
content only; how it looks is :mod:`saraban.letterpress.render`'s job, and the agency's preferences
(digits, emblem) are :class:`saraban.letterpress.render.RenderSettings`.

Numbers and dates may be left empty in a draft: the outgoing number and the date are issued at
signing, never before.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from saraban.kernel.thai import to_arabic_digits

from .errors import EmptySubject, LetterpressError, MissingField, TopSecretRefused
from .salutations import RecipientClass, Salutation, salutation_for


class Kind(StrEnum):
    """The kind of letter, down to the sub-kinds of directives, notices and records."""

    EXTERNAL = "external"
    MEMO = "memo"
    STAMPED = "stamped"
    ORDER = "order"
    REGULATION = "regulation"
    RULE = "rule"
    ANNOUNCEMENT = "announcement"
    STATEMENT = "statement"
    NEWS = "news"
    CERTIFICATE = "certificate"
    MINUTES = "minutes"
    MEMO_RECORD = "memo_record"
    OTHER = "other"


class KindGroup(StrEnum):
    """The six kinds of ข้อ 10."""

    EXTERNAL = "external"
    INTERNAL = "internal"
    STAMPED = "stamped"
    DIRECTIVE = "directive"
    PUBLIC_RELATIONS = "public_relations"
    RECORD = "record"


KIND_GROUP: dict[Kind, KindGroup] = {
    Kind.EXTERNAL: KindGroup.EXTERNAL,
    Kind.MEMO: KindGroup.INTERNAL,
    Kind.STAMPED: KindGroup.STAMPED,
    Kind.ORDER: KindGroup.DIRECTIVE,
    Kind.REGULATION: KindGroup.DIRECTIVE,
    Kind.RULE: KindGroup.DIRECTIVE,
    Kind.ANNOUNCEMENT: KindGroup.PUBLIC_RELATIONS,
    Kind.STATEMENT: KindGroup.PUBLIC_RELATIONS,
    Kind.NEWS: KindGroup.PUBLIC_RELATIONS,
    Kind.CERTIFICATE: KindGroup.RECORD,
    Kind.MINUTES: KindGroup.RECORD,
    Kind.MEMO_RECORD: KindGroup.RECORD,
    Kind.OTHER: KindGroup.RECORD,
}

KIND_NAME_TH: dict[Kind, str] = {
    Kind.EXTERNAL: "หนังสือภายนอก",
    Kind.MEMO: "หนังสือภายใน (บันทึกข้อความ)",
    Kind.STAMPED: "หนังสือประทับตรา",
    Kind.ORDER: "คำสั่ง",
    Kind.REGULATION: "ระเบียบ",
    Kind.RULE: "ข้อบังคับ",
    Kind.ANNOUNCEMENT: "ประกาศ",
    Kind.STATEMENT: "แถลงการณ์",
    Kind.NEWS: "ข่าว",
    Kind.CERTIFICATE: "หนังสือรับรอง",
    Kind.MINUTES: "รายงานการประชุม",
    Kind.MEMO_RECORD: "บันทึก",
    Kind.OTHER: "หนังสืออื่น",
}


class Urgency(StrEnum):
    """ชั้นความเร็ว (ข้อ 28)."""

    NORMAL = "ปกติ"
    URGENT = "ด่วน"
    VERY_URGENT = "ด่วนมาก"
    MOST_URGENT = "ด่วนที่สุด"


class Secrecy(StrEnum):
    """ชั้นความลับ (Secrets Regulation 2544).  ลับที่สุด never enters the system."""

    NORMAL = "ปกติ"
    CONFIDENTIAL = "ลับ"
    SECRET = "ลับมาก"
    TOP_SECRET = "ลับที่สุด"


class StampedPurpose(StrEnum):
    """The matters a stamped letter may be used for (ข้อ 13.1–13.6)."""

    REQUEST_DETAILS = "ขอรายละเอียดเพิ่มเติม"
    SEND_COPIES = "ส่งสำเนาหนังสือ สิ่งของ เอกสาร หรือบรรณสาร"
    ACKNOWLEDGE = "ตอบรับทราบที่ไม่เกี่ยวกับราชการสำคัญหรือการเงิน"
    INFORM_DONE = "แจ้งผลงานที่ได้ดำเนินการไปแล้วให้ส่วนราชการที่เกี่ยวข้องทราบ"
    REMIND = "เตือนเรื่องที่ค้าง"
    DESIGNATED = "เรื่องที่หัวหน้าส่วนราชการระดับกรมขึ้นไปกำหนดโดยทำเป็นคำสั่ง"


# --- body -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; Thai letters indent the first line."""

    text: str
    indent: bool = True


@dataclass(frozen=True)
class Items:
    """A numbered (``๑.``) or bulleted (``-``) list."""

    items: tuple[str, ...]
    ordered: bool = True
    start: int = 1


@dataclass(frozen=True)
class Table:
    """A simple table: a header row and body rows of text cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    arabic_digits: bool = False
    """Keep Arabic digits in this table even when the letter uses Thai digits (money, statistics)."""


@dataclass(frozen=True)
class Heading:
    """A centred bold heading inside the body (``หมวด ๑``, an agenda item)."""

    text: str


Block = Paragraph | Items | Table | Heading
Body = tuple[Block, ...]


_ORDERED = re.compile(r"^\s*([0-9๐-๙]+)[.)]\s+(.*)$")
_BULLET = re.compile(r"^\s*[-•]\s+(.*)$")


def parse_body(text: str) -> Body:
    """Body blocks from the editor's plain text.

    Each non-blank line is a paragraph; runs of lines starting ``1.`` (or ``๑.``) make a numbered
    list, runs starting ``-`` a bulleted list, runs starting ``|`` a table (first row the header,
    ``|---|`` rows ignored); a line starting ``#`` is a heading.
    """
    blocks: list[Block] = []
    lines = [line.rstrip() for line in text.splitlines()]
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if m := _ORDERED.match(line):
            start = int(to_arabic_digits(m.group(1)))
            items: list[str] = []
            while i < len(lines) and (m := _ORDERED.match(lines[i])):
                items.append(m.group(2).strip())
                i += 1
            blocks.append(Items(tuple(items), ordered=True, start=start))
        elif _BULLET.match(line):
            items = []
            while i < len(lines) and (m := _BULLET.match(lines[i])):
                items.append(m.group(1).strip())
                i += 1
            blocks.append(Items(tuple(items), ordered=False))
        elif line.lstrip().startswith("|"):
            rows: list[tuple[str, ...]] = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                cells = tuple(c.strip() for c in lines[i].strip().strip("|").split("|"))
                if not all(set(c) <= set("-: ") for c in cells):
                    rows.append(cells)
                i += 1
            blocks.append(Table(rows[0], tuple(rows[1:])))
        elif line.lstrip().startswith("#"):
            blocks.append(Heading(line.lstrip().lstrip("#").strip()))
            i += 1
        else:
            blocks.append(Paragraph(line.strip()))
            i += 1
    return tuple(blocks)


def body_text(body: Body) -> str:
    """The editor's plain text for ``body``: what :func:`parse_body` reads back into the same blocks
    (a paragraph's ``indent`` and a table's ``arabic_digits`` are not written: the editor's defaults)."""
    out: list[str] = []
    for block in body:
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Heading):
            out.append(f"# {block.text}")
        elif isinstance(block, Items):
            if block.ordered:
                out.extend(f"{n}. {item}" for n, item in enumerate(block.items, start=block.start))
            else:
                out.extend(f"- {item}" for item in block.items)
        else:
            out.append("| " + " | ".join(block.header) + " |")
            out.append("|" + "---|" * len(block.header))
            out.extend("| " + " | ".join(row) + " |" for row in block.rows)
        out.append("")
    return "\n".join(out).strip() + ("\n" if out else "")


# --- parties --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Addressee:
    """Who the letter goes to: a position (or a name when written to the person)."""

    title: str
    recipient_class: RecipientClass = RecipientClass.GENERAL

    @property
    def salutation(self) -> Salutation:
        return salutation_for(self.recipient_class)


@dataclass(frozen=True)
class Signatory:
    """Who signs: the full name typed in parentheses under the signature, and the position lines.

    ``typed_at`` switches to the typed-name mode of Regulation No. 4 (an identity-verified typed name
    replaces the handwritten signature, and the system time replaces a typed date); it is set by
    :func:`saraban.signing.pades.typed_name` from the clock, not by the drafter.
    """

    name: str
    position: tuple[str, ...] = ()
    typed_at: dt.datetime | None = None
    verified_by: str = ""
    """How the identity was verified for a typed name, e.g. ``ThaID`` (shown on the letter)."""


@dataclass(frozen=True)
class Contact:
    """The originating unit and how to reach it (ส่วนราชการเจ้าของเรื่อง, โทร., โทรสาร, e-mail)."""

    unit: str
    phone: str = ""
    fax: str = ""
    email: str = ""


@dataclass(frozen=True)
class Attendee:
    """A person in meeting minutes, with position and (for absentees) the reason."""

    name: str
    position: str = ""
    note: str = ""


@dataclass(frozen=True)
class FileCopyMarks:
    """Drafter, typist and checker of a file copy (สำเนาคู่ฉบับ, ข้อ 30), initialled bottom right."""

    drafter: str = ""
    typist: str = ""
    checker: str = ""


# --- letters --------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Letter:
    """What every kind has: a subject, a body, urgency and secrecy."""

    kind: ClassVar[Kind]
    prints_subject: ClassVar[bool] = True

    subject: str
    """เรื่อง.  Required for every kind (the register needs it), printed where the form has it."""
    body: Body = ()
    urgency: Urgency = Urgency.NORMAL
    urgent_by: dt.datetime | None = None
    """When set, the urgency mark reads ``ด่วนภายใน <date> <time>``."""
    secrecy: Secrecy = Secrecy.NORMAL
    file_copy: FileCopyMarks | None = None

    def all_signatories(self) -> tuple[Signatory, ...]:
        """Who signs, in signing order (the minute-taker, the recorder, or the signatories)."""
        return tuple(getattr(self, "signatories", ()))


@dataclass(frozen=True, kw_only=True)
class ExternalLetter(Letter):
    """หนังสือภายนอก (ข้อ 11, form 1)."""

    kind: ClassVar[Kind] = Kind.EXTERNAL
    number: str = ""
    """ที่: ``ดศ 0201/1234`` (without ``ที่``); may end at ``/`` in a draft."""
    agency: tuple[str, ...] = ()
    """The issuing agency and its address, one line each."""
    date: dt.date | None = None
    to: Addressee
    references: tuple[str, ...] = ()
    enclosures: tuple[str, ...] = ()
    signatories: tuple[Signatory, ...] = ()
    contact: Contact | None = None
    copies_to: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Memo(Letter):
    """หนังสือภายใน, บันทึกข้อความ (ข้อ 12, form 2)."""

    kind: ClassVar[Kind] = Kind.MEMO
    unit: str
    """ส่วนราชการ: the owning unit, with its telephone."""
    number: str = ""
    date: dt.date | None = None
    to: Addressee
    signatories: tuple[Signatory, ...] = ()


@dataclass(frozen=True, kw_only=True)
class StampedLetter(Letter):
    """หนังสือประทับตรา (ข้อ 13–14, form 3): the agency seal and an official's initials instead of a
    signature."""

    kind: ClassVar[Kind] = Kind.STAMPED
    prints_subject: ClassVar[bool] = False
    number: str = ""
    to: str
    """ถึง: the recipient agency or person."""
    sending_agency: str
    date: dt.date | None = None
    contact: Contact | None = None
    purpose: StampedPurpose
    initials: str = ""
    """The initials (ลงชื่อย่อ) of the head of division or delegate responsible."""


@dataclass(frozen=True, kw_only=True)
class Order(Letter):
    """คำสั่ง (ข้อ 16, form 4)."""

    kind: ClassVar[Kind] = Kind.ORDER
    issuer: str
    """The agency or the position of the authority: printed after ``คำสั่ง``."""
    number: str = ""
    """``15/2567``: a yearly series, then the B.E. year."""
    date: dt.date | None = None
    signatories: tuple[Signatory, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Regulation(Letter):
    """ระเบียบ (ข้อ 17, form 5).  ``subject`` is what it is about (ว่าด้วย…)."""

    kind: ClassVar[Kind] = Kind.REGULATION
    heading_word: ClassVar[str] = "ระเบียบ"
    issuer: str
    edition: int | None = None
    """ฉบับที่: none for the first regulation on a topic."""
    year_be: int | None = None
    """The B.E. year in the title; defaults to the year of ``date``."""
    date: dt.date | None = None
    signatories: tuple[Signatory, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Rule(Regulation):
    """ข้อบังคับ (by-law, ข้อ 18, form 6): same fields as a regulation."""

    kind: ClassVar[Kind] = Kind.RULE
    heading_word: ClassVar[str] = "ข้อบังคับ"


@dataclass(frozen=True, kw_only=True)
class Announcement(Letter):
    """ประกาศ (ข้อ 20, form 7); ``heading_word`` becomes แจ้งความ where a law asks for a notice."""

    kind: ClassVar[Kind] = Kind.ANNOUNCEMENT
    issuer: str
    heading_word: str = "ประกาศ"
    date: dt.date | None = None
    signatories: tuple[Signatory, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Statement(Letter):
    """แถลงการณ์ (ข้อ 21, form 8): unsigned; the agency name stands in."""

    kind: ClassVar[Kind] = Kind.STATEMENT
    heading_word: ClassVar[str] = "แถลงการณ์"
    issuer: str
    series_no: str = ""
    date: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class News(Statement):
    """ข่าว (ข้อ 22, form 9): unsigned; the agency name stands in."""

    kind: ClassVar[Kind] = Kind.NEWS
    heading_word: ClassVar[str] = "ข่าว"


@dataclass(frozen=True, kw_only=True)
class Certificate(Letter):
    """หนังสือรับรอง (ข้อ 24, form 10).  The body opens with "หนังสือฉบับนี้ให้ไว้เพื่อรับรองว่า"."""

    kind: ClassVar[Kind] = Kind.CERTIFICATE
    prints_subject: ClassVar[bool] = False
    number: str = ""
    """เลขที่: ``12/2567``."""
    agency: tuple[str, ...] = ()
    date: dt.date | None = None
    signatories: tuple[Signatory, ...] = ()
    photo: str | None = None
    """Path of a 4 × 6 cm photo of the holder, for important certificates issued to a person."""


@dataclass(frozen=True, kw_only=True)
class Minutes(Letter):
    """รายงานการประชุม (ข้อ 25, form 11).  ``subject`` is the body or meeting's name."""

    kind: ClassVar[Kind] = Kind.MINUTES
    prints_subject: ClassVar[bool] = False
    session: str = ""
    """ครั้งที่: ``1/2567``."""
    date: dt.date | None = None
    place: str = ""
    attendees: tuple[Attendee, ...] = ()
    absentees: tuple[Attendee, ...] = ()
    participants: tuple[Attendee, ...] = ()
    started: str = ""
    """เริ่มประชุมเวลา, as written: ``09.30 น.``."""
    ended: str = ""
    recorder: Signatory
    """ผู้จดรายงานการประชุม."""

    def all_signatories(self) -> tuple[Signatory, ...]:
        return (self.recorder,)


@dataclass(frozen=True, kw_only=True)
class MemoRecord(Letter):
    """บันทึก (ข้อ 26): a subordinate to a superior, a superior's instruction, a unit's note."""

    kind: ClassVar[Kind] = Kind.MEMO_RECORD
    prints_subject: ClassVar[bool] = False
    to: Addressee
    recorder: Signatory
    date: dt.date | None = None
    """May be omitted when the system records the time (typed-name mode)."""

    def all_signatories(self) -> tuple[Signatory, ...]:
        return (self.recorder,)


@dataclass(frozen=True, kw_only=True)
class OtherRecord(Letter):
    """หนังสืออื่น (ข้อ 27): a record in a form set by the ministry or department."""

    kind: ClassVar[Kind] = Kind.OTHER
    prints_subject: ClassVar[bool] = False
    title: str
    agency: str = ""
    date: dt.date | None = None
    signatories: tuple[Signatory, ...] = ()


ANY_LETTER = (
    ExternalLetter, Memo, StampedLetter, Order, Regulation, Rule, Announcement, Statement, News,
    Certificate, Minutes, MemoRecord, OtherRecord,
)


# --- checks ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """A warning about a draft that does not stop it (the drafter decides)."""

    code: str
    message_th: str
    message_en: str


_MONEY_WORDS = ("งบประมาณ", "การเงิน", "โอนเงิน", "เบิกจ่าย", "เบิกเงิน", "จ่ายเงิน", "ค่าใช้จ่าย")


def plain_text(letter: Letter) -> str:
    """The letter's words as plain text, a line per block: its subject, paragraphs, items and table cells
    (what search indexes of a letter drafted here: its source, not the text pulled back out of its PDF)."""
    parts = [letter.subject]
    for block in letter.body:
        if isinstance(block, Paragraph | Heading):
            parts.append(block.text)
        elif isinstance(block, Items):
            parts.extend(block.items)
        else:
            parts.extend(block.header)
            parts.extend(c for row in block.rows for c in row)
    return "\n".join(parts)


@dataclass(frozen=True)
class _Required:
    attr: str
    label_th: str
    label_en: str


_REQUIRED: dict[Kind, tuple[_Required, ...]] = {
    Kind.EXTERNAL: (_Required("agency", "ส่วนราชการเจ้าของหนังสือ", "issuing agency"),
                    _Required("signatories", "ผู้ลงนาม", "signatory")),
    Kind.MEMO: (_Required("unit", "ส่วนราชการ", "owning unit"),
                _Required("signatories", "ผู้ลงนาม", "signatory")),
    Kind.STAMPED: (_Required("to", "ถึง", "recipient"),
                   _Required("sending_agency", "ส่วนราชการที่ส่งหนังสือออก", "sending agency")),
    Kind.ORDER: (_Required("issuer", "ผู้ออกคำสั่ง", "issuer"),
                 _Required("signatories", "ผู้ลงนาม", "signatory")),
    Kind.REGULATION: (_Required("issuer", "ส่วนราชการที่ออกระเบียบ", "issuer"),
                      _Required("signatories", "ผู้ลงนาม", "signatory")),
    Kind.RULE: (_Required("issuer", "ส่วนราชการที่ออกข้อบังคับ", "issuer"),
                _Required("signatories", "ผู้ลงนาม", "signatory")),
    Kind.ANNOUNCEMENT: (_Required("issuer", "ส่วนราชการที่ออกประกาศ", "issuer"),
                        _Required("signatories", "ผู้ลงนาม", "signatory")),
    Kind.STATEMENT: (_Required("issuer", "ส่วนราชการที่ออกแถลงการณ์", "issuer"),),
    Kind.NEWS: (_Required("issuer", "ส่วนราชการที่ออกข่าว", "issuer"),),
    Kind.CERTIFICATE: (_Required("agency", "ส่วนราชการที่ออกหนังสือรับรอง", "issuing agency"),
                       _Required("signatories", "ผู้ลงนาม", "signatory")),
    Kind.MINUTES: (),
    Kind.MEMO_RECORD: (),
    Kind.OTHER: (_Required("title", "ชื่อหนังสือ", "title"),),
}


def check_letter(letter: Letter) -> list[Notice]:
    """Refuse a letter that cannot be drafted (raise :class:`LetterpressError`); return soft warnings.

    Hard errors: an empty subject, a missing required field of the kind, ลับที่สุด (never in the
    system, R3), a ``ด่วนภายใน`` deadline without urgency.  Warnings: a stamped letter that looks like
    a money matter (13.9), an empty body.
    """
    if not isinstance(letter, ANY_LETTER):
        raise LetterpressError(details={"type": type(letter).__name__})
    if not letter.subject or not letter.subject.strip():
        raise EmptySubject()
    if letter.secrecy == Secrecy.TOP_SECRET:
        raise TopSecretRefused()
    for req in _REQUIRED[letter.kind]:
        value = getattr(letter, req.attr)
        if not value or (isinstance(value, str) and not value.strip()):
            raise MissingField(req.attr, req.label_th, req.label_en)
    if isinstance(letter, ExternalLetter | Memo | MemoRecord) and not letter.to.title.strip():
        raise MissingField("to", "คำขึ้นต้นและผู้รับ", "addressee")
    for signatory in letter.all_signatories():
        if not signatory.name.strip():
            raise MissingField("signatories", "ชื่อผู้ลงนาม", "signatory's name")
    if letter.urgent_by is not None and letter.urgency == Urgency.NORMAL:
        raise LetterpressError(
            "กำหนด ด่วนภายใน ได้เฉพาะหนังสือที่มีชั้นความเร็ว",
            "A 'reply by' deadline needs an urgency class",
            code="urgent_by_without_urgency",
        )
    notices: list[Notice] = []
    if isinstance(letter, StampedLetter):
        text = plain_text(letter)
        if any(word in text for word in _MONEY_WORDS):
            notices.append(Notice(
                "stamped_money_matter",
                "หนังสือประทับตราใช้ไม่ได้กับเรื่องเกี่ยวกับการเงิน โปรดใช้หนังสือภายนอก",
                "Stamped letters are not for money matters; use an external letter",
            ))
    if not letter.body:
        notices.append(Notice("body_empty", "ยังไม่มีข้อความ", "The body is empty"))
    return notices

