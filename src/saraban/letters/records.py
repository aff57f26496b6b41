"""Writing letter rows and need-to-know grants: the only code that creates :class:`Letter` and
:class:`LetterAccess` rows or changes a letter's reference and status.

These are not actions: the registering, signing, routing or receiving action calls them inside its own
transaction (and writes that action's one audit event).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from saraban.kernel import clock
from saraban.kernel.thai import normalize
from saraban.orgs.models import Person, Unit

from .changes import touch
from .models import DispatchState, Letter, LetterAccess, LetterStatus

DISPATCH_GRANT = "dispatch"
"""The reason of a grant that lets a person send the letter (the drafter, the typist and the signers)."""


def create_letter(*, their_ref: str = "", sender: str = "", **fields: Any) -> Letter:
    """A new letter; its searchable forms (``ref_norm``, ``sender_norm``) follow ``their_ref`` and ``sender``.

    ``fields`` are the other columns of :class:`Letter` (agency, unit, direction, kind, subject, …).
    """
    letter = Letter.objects.create(their_ref=their_ref, ref_norm=normalize(their_ref), sender=sender,
                                   sender_norm=normalize(sender), **fields)
    touch(letter.pk)
    return letter


def set_reference(letter: Letter, their_ref: str) -> None:
    """Give a letter the ที่ it was numbered with (an outgoing number taken after the row was created)."""
    letter.their_ref = their_ref
    letter.ref_norm = normalize(their_ref)
    letter.save(update_fields=["their_ref", "ref_norm"])
    touch(letter.pk)


def mark_cancelled(letter_id: uuid.UUID) -> None:
    """The letter's last registration was cancelled: the letter is cancelled with it."""
    Letter.objects.filter(pk=letter_id).update(status=LetterStatus.CANCELLED)
    touch(letter_id)


def mark_awaiting_dispatch(letter: Letter) -> None:
    """Signed (or its file attached) and not yet sent: the people who may send it see it waiting."""
    if letter.dispatch_state != DispatchState.SENT:
        letter.dispatch_state = DispatchState.AWAITING
        Letter.objects.filter(pk=letter.pk).update(dispatch_state=DispatchState.AWAITING)


def mark_sent(letter: Letter) -> None:
    """The letter went out (by SBX, or recorded as sent another way)."""
    letter.dispatch_state = DispatchState.SENT
    Letter.objects.filter(pk=letter.pk).update(dispatch_state=DispatchState.SENT)


def link_reply(reply: Letter, answered: Letter) -> None:
    """``reply`` answers ``answered`` (its อ้างถึง): the thread links them both ways."""
    reply.reply_to = answered
    Letter.objects.filter(pk=reply.pk).update(reply_to=answered)


def grant(letter: Letter, *, person: Person | None = None, unit: Unit | None = None, reason: str,
          at: dt.datetime | None = None) -> LetterAccess:
    """Give ``letter`` to a person or a unit (need-to-know); ``reason`` says why (``step:<id>``, ``drafting``)."""
    return LetterAccess.objects.create(letter=letter, person=person, unit=unit, reason=reason,
                                       granted_at=at or clock.now())


def grant_all(letter: Letter, *, person_ids: Iterable[uuid.UUID] = (), units: Iterable[Unit] = (), reason: str,
              at: dt.datetime | None = None) -> list[LetterAccess]:
    """Give ``letter`` to several people (by id) and units at once, in that order."""
    when = at or clock.now()
    rows = [LetterAccess(letter=letter, person_id=pid, reason=reason, granted_at=when) for pid in person_ids]
    rows += [LetterAccess(letter=letter, unit=unit, reason=reason, granted_at=when) for unit in units]
    return LetterAccess.objects.bulk_create(rows)


def revoke(letter: Letter, reason: str) -> int:
    """Take back the grants given for ``reason`` (a recalled step's); returns how many went."""
    deleted, _ = LetterAccess.objects.filter(letter=letter, reason=reason).delete()
    return deleted
