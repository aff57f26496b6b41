"""Reading registers: the books a person may open, and a book's entries with filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from saraban.access.principal import principal_for
from saraban.kernel.actor import Actor, Viewer
from saraban.kernel.errors import InvalidInput, NotFound
from saraban.kernel.thai import normalize
from saraban.orgs.models import Unit
from saraban.registry.actions import resolve_unit

from . import policy
from .books import BookKind
from .models import RegisterBook, RegisterEntry


class BookNotFound(NotFound):
    code = "register_not_found"
    message_th = "ไม่พบทะเบียน หรือท่านไม่มีสิทธิ์เปิดทะเบียนนี้"
    message_en = "Register not found, or you may not open it"


@dataclass
class RegisterFilter:
    q: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    urgency: str = ""
    cancelled: bool | None = None


@dataclass
class Register:
    unit: Unit
    kind: str
    year_be: int
    book: RegisterBook | None
    entries: QuerySet[RegisterEntry]

    @property
    def kind_label(self) -> str:
        return BookKind(self.kind).label


def open_register(actor: Viewer, kind: str, year_be: int, unit_code: str | None = None,
                  flt: RegisterFilter | None = None) -> Register:
    if kind not in BookKind.values:
        raise InvalidInput(f"ไม่รู้จักทะเบียน {kind}", f"Unknown register {kind}", code="unknown_book",
                           details={"allowed": BookKind.values})
    if not 2400 <= year_be <= 2800:
        raise InvalidInput("ปีต้องเป็นปีพุทธศักราช เช่น 2569", "The year must be a B.E. year such as 2569",
                           code="invalid_year")
    unit = resolve_unit(actor, unit_code)
    p = principal_for(actor)
    if not policy.can_view_book(p, unit.pk, kind):
        raise BookNotFound()
    book = RegisterBook.objects.filter(unit=unit, kind=kind, year_be=year_be).first()
    qs = (
        RegisterEntry.objects.filter(policy.visible_entries_q(p), book__unit=unit, book__kind=kind,
                                     book__year_be=year_be)
        .select_related("book", "letter").order_by("number")
    )
    qs = apply_filter(qs, flt or RegisterFilter())
    return Register(unit=unit, kind=kind, year_be=year_be, book=book, entries=qs)


def apply_filter(qs: QuerySet[RegisterEntry], flt: RegisterFilter) -> QuerySet[RegisterEntry]:
    if flt.q:
        text = normalize(flt.q)
        cond = (Q(subject__icontains=flt.q) | Q(from_text__icontains=flt.q) | Q(to_text__icontains=flt.q)
                | Q(ref__icontains=flt.q) | Q(letter__ref_norm__icontains=text) | Q(display__icontains=flt.q))
        if text.isdigit():
            cond |= Q(number=int(text))
        qs = qs.filter(cond)
    if flt.date_from:
        qs = qs.filter(registered_at__date__gte=flt.date_from)
    if flt.date_to:
        qs = qs.filter(registered_at__date__lte=flt.date_to)
    if flt.urgency:
        qs = qs.filter(urgency=flt.urgency)
    if flt.cancelled is not None:
        qs = qs.filter(cancelled=flt.cancelled)
    return qs


def books_for(actor: Actor) -> list[dict[str, Any]]:
    """Every book the actor may open, newest year first."""
    p = principal_for(actor)
    out = []
    for book in RegisterBook.objects.select_related("unit").order_by("-year_be", "unit__path", "kind"):
        if policy.can_view_book(p, book.unit_id, book.kind):
            out.append({"unit": book.unit.code, "unit_name": book.unit.name_th, "kind": book.kind,
                        "kind_name": BookKind(book.kind).label, "year": book.year_be,
                        "last_number": book.last_number})
    return out


def entry_for(actor: Actor, entry_id: Any) -> RegisterEntry:
    from .errors import EntryNotFound

    try:
        entry = RegisterEntry.objects.select_related("book__unit", "letter").filter(pk=entry_id).first()
    except (ValueError, Exception) as exc:  # malformed id
        raise EntryNotFound() from exc
    if entry is None or not policy.can_view_entry(principal_for(actor), entry):
        raise EntryNotFound()
    return entry
