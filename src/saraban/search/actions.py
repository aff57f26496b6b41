"""Search's actions: saved searches, asking for OCR, and keeping what OCR read."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.tasks import enqueue
from saraban.letters.changes import touch
from saraban.letters.models import LetterFile
from saraban.orgs.models import Person
from saraban.storage import blobs

from . import errors
from .analyse import clean
from .models import FileText, SavedSearch
from .texts import TEXT_ROLES

QUERY_KEYS = ("q", "kind", "urgency", "secrecy", "date_from", "date_to", "unit", "book", "year", "status",
              "has_enclosures", "assigned_to_me", "direction")


@action("search.save")
def save_search(actor: Actor, person: Person, name: str, query: dict[str, Any]) -> SavedSearch:
    """Keep a search under a name (the same name again replaces it)."""
    name = clean(name)
    if not 1 <= len(name) <= 100:
        raise errors.SavedSearchInvalid()
    kept = {k: str(v)[:200] for k, v in query.items() if k in QUERY_KEYS and v not in (None, "", False)}
    saved, _ = SavedSearch.objects.update_or_create(person=person, name=name,
                                                    defaults={"query": kept, "created_at": clock.now()})
    audit.record("search.save", actor=actor, obj=saved, data={"name": name})
    return saved


@action("search.delete_saved")
def delete_saved(actor: Actor, person: Person, saved_id: int) -> None:
    saved = SavedSearch.objects.filter(pk=saved_id, person=person).first()
    if saved is None:
        raise errors.SavedSearchNotFound()
    audit.record("search.delete_saved", actor=actor, obj=saved, data={"name": saved.name})
    saved.delete()


@action("search.request_ocr")
def request_ocr(actor: Actor, f: LetterFile) -> FileText:
    """Queue OCR of a file (again): a scan the text layer missed, or a poor reading."""
    if f.letter.is_classified or f.role not in TEXT_ROLES:
        raise errors.OcrNotPossible()
    ft, _ = FileText.objects.update_or_create(file=f, defaults={
        "source": FileText.Source.OCR, "status": FileText.Status.QUEUED, "pages_done": 0, "error": "",
        "pages_total": f.pages or 0, "updated_at": clock.now()})
    from .tasks import ocr_file

    enqueue(ocr_file, str(f.pk))
    audit.record("search.request_ocr", actor=actor, obj=f, data={"letter": str(f.letter_id)})
    return ft


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


__all__ = ["delete_saved", "keep_ocr_text", "note_progress", "ocr_failed", "request_ocr",
           "save_search"]
