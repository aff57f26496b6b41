"""Search's actions: saved searches and asking for OCR (what OCR read is kept by :mod:`.ocr`)."""

from __future__ import annotations

from typing import Any

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.tasks import enqueue
from saraban.letters.models import LetterFile
from saraban.orgs.models import Person

from .. import errors
from ..analyse import clean
from ..models import FileText, SavedSearch
from ..texts import TEXT_ROLES

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
    from ..tasks import ocr_file

    enqueue(ocr_file, str(f.pk))
    audit.record("search.request_ocr", actor=actor, obj=f, data={"letter": str(f.letter_id)})
    return ft


__all__ = ["delete_saved", "request_ocr", "save_search"]
