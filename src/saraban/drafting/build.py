"""From a draft to a printable letter: defaults for a new draft, who signs, which book numbers it,
the number and date printed at signing, the file-copy marks and the agency's render settings."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings

from saraban.kernel.models import Secrecy as ModelSecrecy
from saraban.letterpress.content import (
    Addressee,
    Contact,
    FileCopyMarks,
    Kind,
    Letter,
    MemoRecord,
    Minutes,
    Secrecy,
    Signatory,
    StampedLetter,
    StampedPurpose,
    Urgency,
)
from saraban.letterpress.fields import replace
from saraban.letterpress.render import RenderSettings
from saraban.letterpress.serial import LETTER_CLASSES
from saraban.orgs.models import Person, Unit
from saraban.registry.books import BookKind

SECRECY_TO_MODEL = {Secrecy.NORMAL: ModelSecrecy.NORMAL, Secrecy.CONFIDENTIAL: ModelSecrecy.CONFIDENTIAL,
                    Secrecy.SECRET: ModelSecrecy.SECRET, Secrecy.TOP_SECRET: ModelSecrecy.TOP_SECRET}
URGENCY_TO_MODEL = {Urgency.NORMAL: "normal", Urgency.URGENT: "urgent", Urgency.VERY_URGENT: "very_urgent",
                    Urgency.MOST_URGENT: "most_urgent"}
LETTER_KIND = {
    Kind.EXTERNAL: "external", Kind.MEMO: "memo", Kind.STAMPED: "stamped",
    Kind.ORDER: "directive", Kind.REGULATION: "directive", Kind.RULE: "directive",
    Kind.ANNOUNCEMENT: "notice", Kind.STATEMENT: "notice", Kind.NEWS: "notice",
    Kind.CERTIFICATE: "record", Kind.MINUTES: "record", Kind.MEMO_RECORD: "record", Kind.OTHER: "record",
}
"""Draft kinds → the six kinds of :class:`saraban.kernel.models.LetterKind`."""

BOOK: dict[Kind, str | None] = {
    Kind.EXTERNAL: BookKind.SENT, Kind.MEMO: BookKind.SENT, Kind.STAMPED: BookKind.SENT,
    Kind.ORDER: BookKind.ORDER,
    Kind.REGULATION: BookKind.ANNOUNCEMENT, Kind.RULE: BookKind.ANNOUNCEMENT,
    Kind.ANNOUNCEMENT: BookKind.ANNOUNCEMENT, Kind.STATEMENT: BookKind.ANNOUNCEMENT, Kind.NEWS: BookKind.ANNOUNCEMENT,
    Kind.CERTIFICATE: BookKind.CERTIFICATE,
    Kind.MINUTES: None, Kind.MEMO_RECORD: None, Kind.OTHER: None,
}
"""The book that numbers each kind at signing (records made for the file take no number)."""
CIRCULAR_KINDS = {Kind.EXTERNAL, Kind.MEMO, Kind.STAMPED}
NUMBER_PRINTED = {Kind.EXTERNAL, Kind.MEMO, Kind.STAMPED, Kind.ORDER, Kind.CERTIFICATE}
"""Kinds whose form prints the number (ที่ / เลขที่); the others are registered without printing it."""
SEAL_KINDS = {Kind.STAMPED, Kind.STATEMENT, Kind.NEWS}
"""Kinds signed with the agency seal: the stamped letter (red seal + initials), and the unsigned
statements and news (an invisible seal signature keeps them verifiable)."""
SINGLE_SIGNER = {Kind.STAMPED, Kind.STATEMENT, Kind.NEWS, Kind.MINUTES, Kind.MEMO_RECORD}
ONE_PAGE = {Kind.STAMPED, Kind.CERTIFICATE}


def book_for(kind: Kind, *, circular: bool) -> str | None:
    book = BOOK[kind]
    if circular and kind in CIRCULAR_KINDS:
        return BookKind.CIRCULAR
    return book


def allowed_modes(kind: Kind) -> tuple[str, ...]:
    """Signing modes a signer of ``kind`` may use."""
    if kind in SEAL_KINDS:
        return ("seal",)
    if kind.value in settings.SARABAN_TYPED_NAME_KINDS:
        return ("pki", "typed")
    return ("pki",)


def _address_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def defaults(kind: Kind, unit: Unit) -> Letter:
    """A new draft of ``kind`` for ``unit``: the agency's name, address, the unit and its contacts filled in."""
    agency = unit.agency
    agency_lines = (agency.name_th, *_address_lines(agency.address_th))
    contact = Contact(unit=unit.name_th, phone=unit.phone, email=unit.email or agency.central_email)
    memo_unit = f"{unit.name_th} {agency.name_th}" + (f" โทร. {unit.phone}" if unit.phone else "")
    values: dict[str, Any] = {
        "subject": "", "to": Addressee(""), "agency": agency_lines, "contact": contact, "unit": memo_unit,
        "issuer": agency.name_th, "sending_agency": agency.name_th, "purpose": StampedPurpose.REQUEST_DETAILS,
        "recorder": Signatory(""), "title": "",
    }
    if kind == Kind.OTHER:
        values["agency"] = unit.name_th
    cls = LETTER_CLASSES[kind.value]
    names = {f.name for f in dataclasses.fields(cls) if f.init}
    return cls(**{k: v for k, v in values.items() if k in names})


def short_name(person: Person | None) -> str:
    """How a person initials a file copy: the first name (``สมชาย``)."""
    return person.first_name_th if person else ""


def default_initials(person: Person) -> str:
    """Thai initials from a name: the first consonant of the first and last names (``ป.บ.``)."""
    def first(word: str) -> str:
        for ch in word:
            if "ก" <= ch <= "ฮ":
                return ch
        return word[:1]

    return "".join(f"{first(w)}." for w in (person.first_name_th, person.last_name_th) if w)


@dataclasses.dataclass(frozen=True)
class SignerSpec:
    """A signer of a draft, in order."""

    person: Person
    mode: str
    position: tuple[str, ...]

    def signatory(self, *, typed_at: dt.datetime | None = None, verified_by: str = "") -> Signatory:
        return Signatory(name=self.person.full_name_th, position=self.position,
                         typed_at=typed_at if self.mode == "typed" else None,
                         verified_by=verified_by if self.mode == "typed" else "")


def with_signers(letter: Letter, signers: Sequence[SignerSpec], *, typed_at: dt.datetime | None = None,
                 verified_by: str = "") -> Letter:
    """``letter`` with its signature blocks (or recorder) from ``signers``; typed-name signers get
    ``typed_at`` (the system time at signing) when it is given."""
    sigs = tuple(s.signatory(typed_at=typed_at, verified_by=verified_by) for s in signers if s.mode != "seal")
    if isinstance(letter, Minutes | MemoRecord):
        return replace(letter, recorder=sigs[0] if sigs else Signatory(""))
    if isinstance(letter, StampedLetter):
        if signers and not letter.initials:
            return replace(letter, initials=default_initials(signers[0].person))
        return letter
    return replace(letter, signatories=sigs)


def has_enclosure_lines(letter: Letter) -> bool:
    """Whether this kind prints "สิ่งที่ส่งมาด้วย" lines (the external letter does)."""
    return any(f.name == "enclosures" for f in dataclasses.fields(letter))


def with_enclosures(letter: Letter, titles: Sequence[str]) -> Letter:
    """The letter whose "สิ่งที่ส่งมาด้วย" lines are ``titles`` (the attached files', in order); kinds that
    print no such lines are returned as they are."""
    if not has_enclosure_lines(letter):
        return letter
    return replace(letter, enclosures=tuple(t.strip() for t in titles if t.strip()))


def for_signing(letter: Letter, *, number: str, day: dt.date) -> Letter:
    """The letter as signed: its number (where the form prints one) and its date (minutes keep the
    meeting's date; a typed-name record has the system time instead, No. 4)."""
    changes: dict[str, Any] = {}
    if letter.kind in NUMBER_PRINTED:
        changes["number"] = number
    typed_record = isinstance(letter, MemoRecord) and letter.recorder.typed_at is not None
    if not isinstance(letter, Minutes) and not typed_record:  # a typed-name record shows the system time
        changes["date"] = day
    return replace(letter, **changes)


def draft_number(letter: Letter, unit: Unit, book: str | None) -> str:
    """What a draft's preview prints where the number will go: ``ดศ 0201/`` or ``/2569`` style blanks."""
    if letter.kind not in NUMBER_PRINTED or book is None:
        return ""
    if book in (BookKind.SENT, BookKind.CIRCULAR, BookKind.SECRET_SENT):
        numbering = unit.numbering_unit()
        prefix = numbering.ref_prefix if numbering else ""
        return {BookKind.CIRCULAR: f"{prefix}/ว ", BookKind.SECRET_SENT: f"{prefix}/ลับ "}.get(book, f"{prefix}/")
    return ""


def file_copy_marks(drafter: Person | None, preparer: Person | None, checker: Person | None) -> FileCopyMarks:
    return FileCopyMarks(drafter=short_name(drafter), typist=short_name(preparer or drafter),
                         checker=short_name(checker))


def render_settings(kind: Kind, digit_style: str, *, file_copy: bool = False) -> RenderSettings:
    return RenderSettings(
        digits="thai" if digit_style == "thai" else "arabic",
        emblem=settings.SARABAN_EMBLEM,
        max_pages=1 if kind in ONE_PAGE else settings.SARABAN_LETTER_MAX_PAGES,
        file_copy=file_copy,
    )
