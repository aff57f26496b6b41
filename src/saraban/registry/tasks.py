"""Background work of the registry (run by the worker, after the registration committed)."""

from __future__ import annotations

from django_tasks import task

from saraban.kernel.thai import digits, format_date, format_time
from saraban.letters.actions import add_derived_file
from saraban.letters.models import FileRole, LetterFile
from saraban.storage import blobs

from .models import RegisterEntry
from .stamp import StampText, apply_stamp, render_stamp


def stamp_text(entry: RegisterEntry) -> StampText:
    agency = entry.book.unit.agency
    style = agency.digit_style
    return StampText(
        agency=agency.stamp_name or agency.name_th,
        number=digits(entry.display, style),
        date=format_date(entry.registered_at, style="abbr", digit_style=style),
        time=format_time(entry.registered_at, digit_style=style),
    )


@task()
def stamp_receipt(entry_id: str, file_id: str) -> str:
    """Make the presentation copy of a registered letter with its receipt stamp; safe to run twice."""
    entry = RegisterEntry.objects.select_related("book__unit__agency").get(pk=entry_id)
    source = LetterFile.objects.select_related("blob", "letter").get(pk=file_id)
    done = LetterFile.objects.filter(derived_from=source, role=FileRole.PRESENTATION).first()
    if done is not None:
        return str(done.pk)
    stamped = apply_stamp(blobs.read(source.blob), render_stamp(stamp_text(entry)))
    name = source.name.rsplit(".", 1)[0] + "-ตรารับ.pdf"
    derived = add_derived_file(
        None, source, role=FileRole.PRESENTATION, name=name, data=stamped, pages=source.pages,
        note=f"ตรารับเลขที่ {entry.display}",
    )
    return str(derived.pk)
