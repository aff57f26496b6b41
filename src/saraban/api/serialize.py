"""Model → API dictionaries (shared by the routers)."""

from __future__ import annotations

from typing import Any

from saraban.intake.models import IntakeItem
from saraban.letters.models import Letter, LetterFile
from saraban.registry.models import RegisterEntry


def registration(entry: RegisterEntry) -> dict[str, Any]:
    return {
        "id": entry.pk, "book": entry.book.kind, "year": entry.book.year_be, "number": entry.number,
        "display": entry.display, "unit": entry.book.unit.code, "registered_at": entry.registered_at,
        "cancelled": entry.cancelled,
    }


def registered(entry: RegisterEntry) -> dict[str, Any]:
    return {"id": entry.letter_id, "letter_uuid": entry.letter.letter_uuid, "registration": registration(entry)}


def file(f: LetterFile) -> dict[str, Any]:
    return {
        "id": f.pk, "role": f.role, "name": f.name, "title": f.title, "order": f.order, "sha256": f.blob.sha256,
        "size": f.blob.size, "content_type": f.blob.content_type, "pages": f.pages,
        "derived_from": f.derived_from_id, "created_at": f.created_at,
        "url": f"/api/v1/letters/{f.letter_id}/files/{f.pk}",
    }


def entry_row(e: RegisterEntry) -> dict[str, Any]:
    return {
        "id": e.pk, "number": e.number, "display": e.display, "their_ref": e.ref, "letter_date": e.letter_date,
        "sender": e.from_text, "addressee": e.to_text, "subject": e.subject, "action": e.action_text,
        "remark": e.remark, "registered_at": e.registered_at, "urgency": e.urgency, "secrecy": e.secrecy,
        "cancelled": e.cancelled, "cancel_reason": e.cancel_reason, "letter_id": e.letter_id,
    }


def letter(obj: Letter, entries: list[RegisterEntry], files: list[LetterFile]) -> dict[str, Any]:
    return {
        "id": obj.pk, "letter_uuid": obj.letter_uuid, "direction": obj.direction, "kind": obj.kind,
        "their_ref": obj.their_ref, "letter_date": obj.letter_date, "sender": obj.sender,
        "addressee": obj.addressee, "subject": obj.subject, "urgency": obj.urgency, "secrecy": obj.secrecy,
        "remark": obj.remark, "status": obj.status, "channel": obj.channel, "unit": obj.unit.code,
        "created_at": obj.created_at, "registrations": [registration(e) for e in entries],
        "files": [file(f) for f in files],
    }


def intake(item: IntakeItem) -> dict[str, Any]:
    return {
        "id": item.pk, "channel": item.channel, "subject": item.subject, "urgency": item.urgency,
        "secrecy": item.secrecy, "unit": item.unit.code, "received_at": item.received_at, "status": item.status,
        "status_reason": item.status_reason,
        "metadata": item.metadata,
        "files": [{"id": str(f.pk), "role": f.role, "name": f.name, "title": f.title, "order": f.order,
                   "sha256": f.blob.sha256, "size": f.blob.size, "content_type": f.blob.content_type,
                   "pages": f.pages, "url": f"/api/v1/intake/{item.pk}/files/{f.pk}"}
                  for f in sorted(item.files.all(), key=lambda f: f.order)],
    }
