"""Background work of search: OCR of scanned files (the worker runs it after the action committed)."""

from __future__ import annotations

import logging
import uuid

from django_tasks import task

from saraban.letters.models import LetterFile
from saraban.storage import blobs

from . import ocr
from .actions.ocr import keep_ocr_text, note_progress, ocr_failed
from .models import FileText

log = logging.getLogger(__name__)


@task()
def ocr_file(file_id: str) -> int:
    """Read a scanned file with Tesseract (Thai and English), page by page, showing progress; safe to run
    twice.  Returns the number of characters read."""
    f = LetterFile.objects.select_related("blob", "letter").filter(pk=file_id).first()
    ft = FileText.objects.filter(file_id=uuid.UUID(file_id)).first()
    if f is None or ft is None or ft.status == FileText.Status.DONE or f.letter.is_classified:
        return 0
    data = blobs.read(f.blob)
    total = ft.pages_total or f.pages or 1
    note_progress(file_id, 0, total)
    try:
        text = ocr.recognise(data, f.blob.content_type, progress=lambda n: note_progress(file_id, n, max(n, total)))
    except Exception as exc:  # a broken page or a missing Tesseract: say so on the letter page
        log.warning("OCR of file %s failed: %s", file_id, exc)
        ocr_failed(f, str(exc) or exc.__class__.__name__)
        return 0
    pages = text.count("\f") + 1
    keep_ocr_text(f, text, pages=pages)
    return len(text)
