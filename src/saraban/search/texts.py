"""The text of letters' files: the PDF's text layer, read when the file is stored, or OCR of scanned pages.

Text is kept beside the file (:class:`~saraban.search.models.FileText`); the original is never changed.
A PDF whose pages carry (almost) no text is a scan: it is queued for OCR (:mod:`saraban.search.tasks`).
Files of ลับ / ลับมาก letters are not read into the database (their content is encrypted at rest).
:func:`text_of` gives any file's text to whoever needs it (the desk's field pre-filling).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from saraban.kernel import clock
from saraban.kernel.tasks import enqueue
from saraban.letters.models import LetterFile
from saraban.storage import blobs

from .analyse import clean
from .models import FileText

TEXT_ROLES = ("letter", "enclosure")
MIN_CHARS_PER_PAGE = 40  # fewer letters than this on a page: the page is a picture (a scan)
MAX_PAGES_INLINE = 200


def layer_text(data: bytes, *, max_pages: int = MAX_PAGES_INLINE) -> tuple[str, int]:
    """The text layer of a PDF (pypdfium2) and its page count; ``("", 0)`` for what is not a readable PDF."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return "", 0
    try:
        pages = len(doc)
        out = []
        for i in range(min(pages, max_pages)):
            page = doc[i]
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(out), pages
    finally:
        doc.close()


def looks_scanned(text: str, pages: int) -> bool:
    letters = sum(1 for ch in text if not ch.isspace())
    return pages > 0 and letters < MIN_CHARS_PER_PAGE * pages


def _read(f: LetterFile) -> FileText:
    now = clock.now()
    if f.letter.is_classified:
        return FileText(file=f, status=FileText.Status.SKIPPED, updated_at=now)
    try:
        data = blobs.read(f.blob)
    except (OSError, RuntimeError) as exc:  # a missing or corrupt blob: say so, index the rest
        return FileText(file=f, status=FileText.Status.FAILED, error=str(exc)[:500], updated_at=now)
    if f.blob.content_type.startswith("image/"):
        return FileText(file=f, source=FileText.Source.OCR, status=FileText.Status.QUEUED, pages_total=1,
                        updated_at=now)
    text, pages = layer_text(data)
    if looks_scanned(text, pages):
        return FileText(file=f, source=FileText.Source.OCR, status=FileText.Status.QUEUED, pages_total=pages,
                        updated_at=now)
    return FileText(file=f, text=clean(text), pages_total=pages, pages_done=pages, updated_at=now)


def read_new_files(letter_ids: Iterable[uuid.UUID]) -> int:
    """Read the text of these letters' files not read yet; queue OCR for scans.  Runs after the action that
    stored them committed (each file's row in a short transaction of its own)."""
    from .tasks import ocr_file

    new = list(LetterFile.objects.filter(letter_id__in=list(letter_ids), role__in=TEXT_ROLES, search_text=None)
               .exclude(role="letter", letter__draft__isnull=False)  # drafted here: indexed from its source
               .select_related("blob", "letter"))
    read = 0
    for f in new:
        ft = _read(f)
        try:
            with transaction.atomic():
                ft.save(force_insert=True)
                if ft.status == FileText.Status.QUEUED:
                    enqueue(ocr_file, str(f.pk))
        except IntegrityError:  # a refresh of the same letter running at the same time read it first
            continue
        read += 1
    return read


def text_of(file_id: uuid.UUID | str) -> str:
    """The text read from a file (text layer or OCR), or ``""`` while there is none (yet)."""
    ft = FileText.objects.filter(file_id=uuid.UUID(str(file_id))).first()
    return ft.text if ft is not None else ""


def status_of(file_id: uuid.UUID | str) -> FileText | None:
    return FileText.objects.filter(file_id=uuid.UUID(str(file_id))).first()
