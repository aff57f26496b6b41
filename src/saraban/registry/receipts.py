"""The receipt slip (ใบรับหนังสือ, form 16; ≈ข้อ 46) for a letter delivered by hand: the receipt number, the
date and time it was registered (B.E., Bangkok), the letter, and who received it."""

from __future__ import annotations

from saraban.kernel.thai import format_date, format_time
from saraban.letterpress.slips import ReceiptSlip, receipt_slip_pdf
from saraban.letters.models import FileRole, Letter
from saraban.orgs.models import Person, PositionHolding

from .books import SECRET_BOOKS
from .models import RegisterEntry


def receipt_entry(letter: Letter) -> RegisterEntry | None:
    """The letter's (first, uncancelled) receiving registration."""
    return (RegisterEntry.objects.select_related("book__unit__agency", "registered_by").filter(
        letter=letter, cancelled=False, book__kind__in=["received", *SECRET_BOOKS]).order_by("registered_at").first())


def _position(person: Person | None, day: object) -> str:
    if person is None:
        return ""
    holding = (PositionHolding.objects.filter(person=person, start__lte=day).select_related("position")
               .order_by("kind", "-start").first())
    return holding.position.title_th if holding else ""


def slip(letter: Letter, entry: RegisterEntry) -> ReceiptSlip:
    """The slip's text.  A classified letter's subject is not printed (the slip leaves with the messenger)."""
    person = Person.objects.filter(user=entry.registered_by).first() if entry.registered_by_id else None
    unit = entry.book.unit
    at = entry.registered_at
    enclosures = tuple(f.label for f in letter.files.filter(role=FileRole.ENCLOSURE).order_by("order"))
    return ReceiptSlip(
        agency=unit.agency.name_th, unit=unit.name_th, number=f"{entry.display} / {entry.book.year_be}",
        date=format_date(at), time=format_time(at), their_ref=letter.their_ref,
        letter_date=format_date(letter.letter_date) if letter.letter_date else "", sender=letter.sender,
        subject="(หนังสือชั้นความลับ)" if letter.is_classified else letter.subject,
        received_by=person.full_name_th if person else "", position=_position(person, at.date()),
        enclosures=() if letter.is_classified else enclosures,
    )


def receipt_pdf(letter: Letter, entry: RegisterEntry) -> bytes:
    return receipt_slip_pdf(slip(letter, entry))
