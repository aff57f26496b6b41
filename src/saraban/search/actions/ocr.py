"""The OCR task's actions: what it read is kept beside the file, or its failure recorded (called by
:mod:`saraban.search.tasks`, which :mod:`saraban.search.actions` queues; kept apart so the two do not import
each other)."""

from __future__ import annotations

import uuid

from django.db import transaction

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.letters.changes import touch
from saraban.letters.models import LetterFile
from saraban.storage import blobs

from ..analyse import clean
from ..models import FileText


@action("search.ocr_done")
def keep_ocr_text(f: LetterFile, text: str, *, pages: int) -> FileText:
    """Keep what OCR read beside the file (a row and a text file), and index it with the letter."""
    text = clean(text.replace("\f", "\n"))
    blob = blobs.put(text.encode(), "text/plain; charset=utf-8") if text else None
    ft, _ = FileText.objects.update_or_create(file=f, defaults={
        "source": FileText.Source.OCR, "status": FileText.Status.DONE, "text": text, "blob": blob,
        "pages_total": pages, "pages_done": pages, "error": "", "updated_at": clock.now()})
    touch(f.letter_id)
    audit.record("search.ocr_done", obj=f, data={"letter": str(f.letter_id), "pages": pages, "chars": len(text)})
    return ft


@action("search.ocr_failed")
def ocr_failed(f: LetterFile, error: str) -> None:
    FileText.objects.filter(file=f).update(status=FileText.Status.FAILED, error=error[:500], updated_at=clock.now())
    audit.record("search.ocr_failed", obj=f, data={"letter": str(f.letter_id), "error": error[:200]})


def note_progress(file_id: str, pages_done: int, pages_total: int) -> None:
    """Bookkeeping of a running OCR task (how far it got, shown on the letter page): not an action, like the
    task queue's own status rows; committed at once so the page sees it while the task runs."""
    with transaction.atomic():
        FileText.objects.filter(file_id=uuid.UUID(file_id)).update(
            status=FileText.Status.RUNNING, pages_done=pages_done, pages_total=pages_total, updated_at=clock.now())
