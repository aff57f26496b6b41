"""Background work of the registry (run by the worker, after the registration committed)."""

from __future__ import annotations

from django_tasks import task

from saraban.kernel.thai import Digits, digits, format_date, format_time
from saraban.letters.actions import derive_once
from saraban.letters.models import FileRole, LetterFile
from saraban.storage import blobs

from .books import BookKind
from .models import RegisterEntry
from .stamp import StampText, apply_stamp, number_stamped, render_stamp

RECEIVING_KINDS = (BookKind.RECEIVED, BookKind.SECRET_RECEIVED)


def stamp_text(entry: RegisterEntry, *, unit_name: bool = False) -> StampText:
    """The stamp's words; ``unit_name`` heads it with the registering unit (a sub-unit's own stamp)."""
    unit = entry.book.unit
    agency = unit.agency
    style = agency.digit_style
    return StampText(
        agency=unit.name_th if unit_name else agency.stamp_name or agency.name_th,
        number=digits(entry.display, style),
        date=format_date(entry.registered_at, style="abbr", digit_style=style),
        time=format_time(entry.registered_at, digit_style=style),
    )


@task()
def stamp_receipt(entry_id: str, file_id: str) -> str:
    """Make the presentation copy of a registered letter with its receipt stamp; safe to run twice."""
    entry = RegisterEntry.objects.select_related("book__unit__agency").get(pk=entry_id)
    source = LetterFile.objects.select_related("blob", "letter").get(pk=file_id)
    return str(derive_once(
        source, role=FileRole.PRESENTATION, name=source.name.rsplit(".", 1)[0] + "-ตรารับ.pdf",
        note=f"ตรารับเลขที่ {entry.display}", pages=source.pages,
        draw=lambda: apply_stamp(blobs.read(source.blob), render_stamp(stamp_text(entry)))).pk)


@task()
def stamp_copy_receipt(entry_id: str) -> str:
    """A sub-unit registered the letter in its own book: a new presentation copy of the original with every
    receipt stamp so far, the agency's first and each sub-unit's below it, so each number is on the letter
    as the register shows it (R22); safe to run twice."""
    entry = RegisterEntry.objects.select_related("book__unit__agency", "letter").get(pk=entry_id)
    original = (LetterFile.objects.select_related("blob").filter(letter=entry.letter, role=FileRole.LETTER)
                .order_by("created_at").first())
    if original is None:
        return ""

    def draw() -> bytes:
        stamps = list(RegisterEntry.objects.select_related("book__unit__agency")
                      .filter(letter=entry.letter, cancelled=False, book__kind__in=RECEIVING_KINDS,
                              registered_at__lte=entry.registered_at).order_by("registered_at", "id"))
        data = blobs.read(original.blob)
        for slot, e in enumerate(stamps):
            data = apply_stamp(data, render_stamp(stamp_text(e, unit_name=slot > 0)), slot=slot)
        return data

    name = original.name.rsplit(".", 1)[0] + f"-ตรารับ-{entry.book.unit.code}.pdf"
    return str(derive_once(
        original, role=FileRole.PRESENTATION, name=name,
        note=f"ตรารับเลขที่ {entry.display} · {entry.book.unit.name_th}"[:255], pages=original.pages, draw=draw).pk)


@task()
def stamp_number(entry_id: str, file_id: str) -> str:
    """The copy of a letter typed elsewhere with its number and date on page 1 (what is sent); safe to run
    twice."""
    entry = RegisterEntry.objects.select_related("book__unit__agency", "letter__agency").get(pk=entry_id)
    source = LetterFile.objects.select_related("blob", "letter").get(pk=file_id)
    letter = entry.letter
    style: Digits = "thai" if letter.agency.digit_style == "thai" else "arabic"
    day = letter.letter_date or entry.letter_date
    return str(derive_once(
        source, role=FileRole.NUMBERED, name=source.name.rsplit(".", 1)[0] + "-เลขที่.pdf",
        note=f"ประทับเลขที่ {entry.display}", pages=source.pages,
        draw=lambda: number_stamped(blobs.read(source.blob), digits(entry.display, style),
                                    format_date(day, digit_style=style) if day else "")).pk)
