"""A receiving sub-unit registers a letter routed to it in its own receiving book (§7.1 step 6, R28).

Same columns as the central registration, the sub-unit's own gapless number, the same letter (one letter,
several registrations): one click on the letter page.
"""

from __future__ import annotations

from typing import Any

from saraban.access.principal import principal_for
from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.ids import uuid7
from saraban.kernel.models import Secrecy
from saraban.kernel.tasks import enqueue
from saraban.letters.models import Letter, LetterAccess, LetterStatus
from saraban.letters.queries import letter_for
from saraban.orgs.models import Unit
from saraban.routing import errors as routing_errors
from saraban.routing.models import LIVE_STATUSES, Step

from . import errors, policy
from .books import BookKind, display_parts
from .models import RegisterEntry
from .numbering import insert_numbered


def routed_to(letter: Letter, unit: Unit) -> bool:
    """Was the letter sent to this unit, to a position in it, or to a person of it?"""
    steps = Step.objects.filter(letter=letter, status__in=LIVE_STATUSES)
    return (steps.filter(to_unit=unit).exists() or steps.filter(to_position__unit=unit).exists()
            or steps.filter(to_person__home_unit=unit).exists()
            or LetterAccess.objects.filter(letter=letter, unit=unit).exists())


def copy_units(actor: Any, letter: Letter) -> list[Unit]:
    """Units where this actor may register this letter now (routed there, registrar there, not yet done)."""
    p = principal_for(actor)
    done = set(RegisterEntry.objects.filter(letter=letter, cancelled=False).values_list("book__unit_id", flat=True))
    out = []
    for unit in Unit.objects.filter(pk__in=p.units("registrar", "secret_registrar")).exclude(pk__in=done):
        if unit.keeps_register and policy.can_register_in(p, unit.pk, letter.secrecy) and routed_to(letter, unit):
            out.append(unit)
    return out


@action("registry.register_copy")
def register_received_copy(actor: Any, letter: Letter, unit: Unit) -> RegisterEntry:
    letter = letter_for(actor, letter.pk)
    if letter.status != LetterStatus.REGISTERED:
        raise routing_errors.LetterCancelled()
    p = principal_for(actor)
    if not policy.can_register_in(p, unit.pk, letter.secrecy):
        raise errors.NotAllowed(f"ท่านไม่มีสิทธิ์ลงทะเบียนรับในทะเบียนของ {unit.name_th}",
                                f"You may not register letters in the books of {unit.code}")
    if not routed_to(letter, unit):
        raise routing_errors.NotRoutedHere()
    if RegisterEntry.objects.filter(letter=letter, book__unit=unit, cancelled=False).exists():
        raise routing_errors.AlreadyRegistered()
    first = RegisterEntry.objects.filter(letter=letter).order_by("registered_at").first()
    kind = BookKind.SECRET_RECEIVED if letter.secrecy != Secrecy.NORMAL else BookKind.RECEIVED
    now = clock.now()
    entry = RegisterEntry(
        id=uuid7(), letter=letter, ref=letter.their_ref, letter_date=letter.letter_date, from_text=letter.sender,
        to_text=letter.addressee, subject=letter.subject, remark=letter.remark, registered_at=now,
        registered_by=actor, urgency=letter.urgency, secrecy=letter.secrecy,
        action_text=first.action_text if first else "",
    )
    year_be = clock.year_be(now)
    insert_numbered(entry, unit, kind, year_be, display=display_parts(kind, prefix=unit.ref_prefix, year_be=year_be))
    from .tasks import stamp_copy_receipt  # the worker draws the sub-unit's receipt stamp after commit

    enqueue(stamp_copy_receipt, str(entry.id))
    audit.record("registry.register_copy", actor=actor, obj=entry, data={
        "letter": str(letter.pk), "book": kind, "year": entry.book.year_be, "number": entry.number,
        "unit": unit.code, "first": str(first.pk) if first else None,
    })
    return entry
