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

from .books import SECRET_BOOKS, BookKind, display_parts
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


SECRET_BOOK_FOR: dict[str, str] = {BookKind.RECEIVED: BookKind.SECRET_RECEIVED}
ORDINARY_BOOK_FOR: dict[str, str] = {BookKind.SECRET_RECEIVED: BookKind.RECEIVED, BookKind.SECRET_SENT: BookKind.SENT}


def move_for_regrading(actor: Actor, letter: Letter, secrecy: str) -> tuple[list[RegisterEntry], list[RegisterEntry]]:
    """A re-graded letter's registrations follow its class (Secrets Regulation; R46).

    Crossing between ordinary and classified, each live registration is closed in its book — the number stays
    there, marked as moved, with a pointer to the new row — and the letter is registered again under the next
    number of the same unit's matching book (received ↔ ลับ received; any outgoing book ↔ ลับ sent), with the
    same columns (its ที่ is what was printed).  A row closed in an ordinary book takes the new class, so only
    those cleared for it still see it there.  Within the classified books only the class changes.  Returns
    (closed rows, new rows).  The caller has set the letter's new class and writes the audit event.
    """
    live = list(RegisterEntry.objects.filter(letter=letter, cancelled=False).select_related("book__unit__agency"))
    to_secret = secrecy != Secrecy.NORMAL
    if all((e.book.kind in SECRET_BOOKS) == to_secret for e in live):
        RegisterEntry.objects.filter(pk__in=[e.pk for e in live]).update(secrecy=secrecy)
        touch(letter.pk)
        return [], []
    now = clock.now()
    year_be = clock.year_be(now)
    closed, opened = [], []
    for old in live:
        if (old.book.kind in SECRET_BOOKS) == to_secret:
            continue
        kind = (SECRET_BOOK_FOR.get(old.book.kind, BookKind.SECRET_SENT) if to_secret
                else ORDINARY_BOOK_FOR[old.book.kind])
        unit = old.book.unit
        new = RegisterEntry(
            id=uuid7(), letter=letter, ref=old.ref, letter_date=old.letter_date, from_text=old.from_text,
            to_text=old.to_text, subject=old.subject, action_text=old.action_text, registered_at=now,
            registered_by=actor, urgency=old.urgency, secrecy=secrecy,
            remark=f"ย้ายจาก{old.book.get_kind_display()} พ.ศ. {old.book.year_be} เลขที่ {old.display}"[:1000],
        )
        insert_numbered(new, unit, kind, year_be, display=display_parts(kind, prefix=unit.ref_prefix, year_be=year_be))
        old.cancelled, old.cancelled_at, old.cancelled_by = True, now, actor
        old.cancel_reason = f"ย้ายไป{BookKind(kind).label} พ.ศ. {year_be} เลขที่ {new.display} (ปรับชั้นความลับ)"
        if to_secret:
            old.secrecy = secrecy
        old.save(update_fields=["cancelled", "cancelled_at", "cancelled_by", "cancel_reason", "secrecy"])
        closed.append(old)
        opened.append(new)
    return closed, opened
