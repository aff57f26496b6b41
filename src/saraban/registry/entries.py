"""Register entries that other apps ask the registry to write: the register's การปฏิบัติ column, and a
receiving sub-unit's own registration of a letter routed to it.

The registry owns :class:`RegisterEntry`; these are not actions — the routing action that asks calls them
inside its transaction and writes its one audit event.
"""

from __future__ import annotations

from saraban.kernel import clock
from saraban.kernel.actor import Actor
from saraban.kernel.ids import uuid7
from saraban.kernel.models import Secrecy
from saraban.kernel.tasks import enqueue
from saraban.letters.changes import touch
from saraban.letters.models import Letter
from saraban.orgs.models import Unit

from .books import BookKind, display_parts
from .models import RegisterEntry
from .numbering import insert_numbered
from .tasks import stamp_copy_receipt


def set_action_text(letter: Letter, text: str) -> None:
    """Write การปฏิบัติ of every registration of ``letter`` (routing writes it from the letter's steps)."""
    RegisterEntry.objects.filter(letter=letter).update(action_text=text)
    touch(letter.pk)


def register_copy(actor: Actor, letter: Letter, unit: Unit) -> tuple[RegisterEntry, RegisterEntry | None]:
    """Register ``letter`` again in ``unit``'s own receiving (or secret receiving) book, under the next number.

    Same columns as the first registration, whose การปฏิบัติ it starts from; the worker draws the unit's
    receipt stamp after the commit.  Returns the new entry and the letter's first registration.  The
    caller has checked the unit may register it (routed there, not yet registered there).
    """
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
    enqueue(stamp_copy_receipt, str(entry.id))  # the worker draws the sub-unit's receipt stamp after commit
    return entry, first
