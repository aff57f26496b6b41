"""Issuing the outgoing number of a letter drafted in the system, at the moment it is signed.

Unlike :func:`saraban.registry.actions.issue_outgoing` (which creates a new letter for a finished
outgoing letter someone uploads), here the letter already exists as a draft: its number is printed
on it, and the printed letter is signed, so the number must be known *before* signing yet consumed
only *by* a successful signing.  The signing flow therefore:

1. asks :func:`expected_number` what the book's next number will be (no lock, nothing taken);
2. renders and signs the letter with that number, outside any transaction;
3. inside the action that stores the signed letter calls :func:`take_number` with the number printed,
   which takes the next number in the same transaction as the register row (:func:`register`) and
   refuses (:class:`NumberMoved`, rolling everything back) if it is not the one printed — another
   letter got there first; the flow then signs again with the new number.  After a few lost races it
   takes the number first and signs while holding it (the book stays locked for one signing), so a
   busy book cannot starve a letter.

So the book is normally locked only for the short commit (not while a time-stamp authority answers),
a failed signing consumes nothing, and numbers stay gapless and unique.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from saraban.kernel.actor import Actor
from saraban.kernel.errors import Conflict
from saraban.kernel.models import Secrecy
from saraban.letters.changes import touch
from saraban.letters.models import Letter
from saraban.orgs.models import Unit

from . import errors
from .books import BookKind, display_number
from .models import RegisterBook, RegisterEntry
from .numbering import next_number

PRINTED_IN_REF = {BookKind.SENT, BookKind.CIRCULAR, BookKind.SECRET_SENT}
"""Books whose numbers need the unit's letter code and number (``ดศ 0201/…``)."""


class NumberMoved(Conflict):
    """The book's next number is no longer the one printed on the letter (another letter took it)."""

    code = "number_moved"
    message_th = "เลขหนังสือที่จะออกถูกใช้ไปแล้วระหว่างลงนาม ระบบจะลงนามใหม่ด้วยเลขถัดไป"
    message_en = "The number printed on the letter was taken meanwhile; the letter is signed again"


@dataclass(frozen=True)
class Planned:
    """The number a letter will get if it is signed now."""

    unit: Unit
    book: str
    year_be: int
    number: int
    display: str


def numbering_unit(unit: Unit, book: str) -> Unit:
    """The unit whose book numbers letters of ``unit`` (itself or its nearest numbering ancestor)."""
    numbering = unit.numbering_unit()
    if numbering is None or (book in PRINTED_IN_REF and not numbering.unit_number):
        raise errors.NoNumberingUnit(details={"unit": unit.code})
    return numbering


def check_book(book: str, secrecy: str) -> str:
    """The book to use for a letter of ``secrecy``: classified letters only in the secret sent register."""
    if book not in {*PRINTED_IN_REF, BookKind.ORDER, BookKind.ANNOUNCEMENT, BookKind.CERTIFICATE}:
        raise errors.BookMismatch(details={"book": book})
    if secrecy == Secrecy.TOP_SECRET:
        raise errors.TopSecretRefused()
    if secrecy != Secrecy.NORMAL:
        if book not in PRINTED_IN_REF:
            raise errors.BookMismatch(
                "หนังสือชั้นความลับออกเลขได้ในทะเบียนส่งหนังสือลับเท่านั้น",
                "Classified letters are numbered in the secret sent register only",
            )
        return BookKind.SECRET_SENT
    if book == BookKind.SECRET_SENT:
        raise errors.BookMismatch(
            "ทะเบียนส่งหนังสือลับใช้กับหนังสือชั้นความลับเท่านั้น",
            "The secret sent register is for classified letters only",
        )
    return book


def expected_number(unit: Unit, book: str, year_be: int) -> Planned:
    """The next number of ``unit``'s ``book`` for ``year_be``, read without taking it."""
    last = (RegisterBook.objects.filter(unit=unit, kind=book, year_be=year_be)
            .values_list("last_number", flat=True).first()) or 0
    number = last + 1
    return Planned(unit, book, year_be, number,
                   display_number(book, number, prefix=unit.ref_prefix, year_be=year_be))


def take_number(unit: Unit, book: str, year_be: int, *, expected: int | None = None) -> tuple[RegisterBook, Planned]:
    """Take the next number of the book inside the signing transaction (the book stays locked until the
    commit).  With ``expected`` (the number printed on the letter) refuse with :class:`NumberMoved` if
    the book moved on meanwhile; the transaction then rolls back, giving the number back."""
    if not connection.in_atomic_block:
        raise RuntimeError("numbers are only taken inside the signing transaction")
    taken, number = next_number(unit, book, year_be)
    if expected is not None and number != expected:
        raise NumberMoved(details={"printed": expected, "next": number})
    return taken, Planned(unit, book, year_be, number,
                          display_number(book, number, prefix=unit.ref_prefix, year_be=year_be))


def register(actor: Actor, letter: Letter, book: RegisterBook, planned: Planned, *, letter_date: dt.date,
             from_text: str, to_text: str, subject: str, remark: str = "") -> RegisterEntry:
    """The register row of ``letter`` under the number taken by :func:`take_number`."""
    touch(letter.pk)
    return RegisterEntry.objects.create(
        book=book, number=planned.number, display=planned.display, letter=letter, ref=planned.display,
        letter_date=letter_date, from_text=from_text, to_text=to_text, subject=subject, remark=remark,
        registered_at=letter.created_at, registered_by=actor, urgency=letter.urgency, secrecy=letter.secrecy,
    )
