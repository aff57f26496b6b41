"""A receiving sub-unit's own registration of a letter routed to it (§7.1 step 6, R28)."""

from __future__ import annotations

from saraban.access.principal import principal_for
from saraban.audit import log as audit
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.letters.models import Letter, LetterStatus
from saraban.letters.queries import letter_for
from saraban.orgs.models import Unit
from saraban.registry import entries
from saraban.registry import errors as registry_errors
from saraban.registry import policy as registry_policy
from saraban.registry.models import RegisterEntry

from .. import errors, queries


@action("registry.register_copy")
def register_received_copy(actor: Actor, letter: Letter, unit: Unit) -> RegisterEntry:
    """A receiving sub-unit registers a letter routed to it in its own receiving book (§7.1 step 6, R28).

    Same columns as the central registration, the sub-unit's own gapless number, the same letter (one
    letter, several registrations): one click on the letter page.  The registry writes the row
    (:func:`saraban.registry.entries.register_copy`); routing decides whether it was routed there.
    """
    letter = letter_for(actor, letter.pk)
    if letter.status != LetterStatus.REGISTERED:
        raise errors.LetterCancelled()
    p = principal_for(actor)
    if not registry_policy.can_register_in(p, unit.pk, letter.secrecy):
        raise registry_errors.NotAllowed(f"ท่านไม่มีสิทธิ์ลงทะเบียนรับในทะเบียนของ {unit.name_th}",
                                         f"You may not register letters in the books of {unit.code}")
    if not queries.routed_to(letter, unit):
        raise errors.NotRoutedHere()
    if RegisterEntry.objects.filter(letter=letter, book__unit=unit, cancelled=False).exists():
        raise errors.AlreadyRegistered()
    entry, first = entries.register_copy(actor, letter, unit)
    audit.record("registry.register_copy", actor=actor, obj=entry, data={
        "letter": str(letter.pk), "book": entry.book.kind, "year": entry.book.year_be, "number": entry.number,
        "unit": unit.code, "first": str(first.pk) if first else None,
    })
    return entry
