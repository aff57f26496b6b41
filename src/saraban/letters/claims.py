"""Whose letter id is it?  A ``letter_uuid`` names one letter across agencies; a client may not claim one
that another agency holds (any id could be claimed before).

The letters table is searched here; apps that keep ids elsewhere (drafts, SBX messages) add a *holder*
function when they load (:func:`add_holder`), so this module imports none of them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from saraban.kernel.errors import Conflict

from .models import Direction, Letter

Holder = Callable[[uuid.UUID], set[str]]
"""Agency codes that hold ``letter_uuid`` in one app's records."""

_holders: list[Holder] = []


class LetterIdTaken(Conflict):
    code = "letter_uuid_taken"
    message_th = "รหัสหนังสือ (letter_uuid) นี้เป็นของหนังสือของหน่วยงานอื่นหรือถูกใช้แล้ว กรุณาไม่ระบุเพื่อให้ระบบออกรหัสใหม่"
    message_en = "This letter_uuid belongs to another agency's letter or is already used; leave it out to get a new one"


def add_holder(holder: Holder) -> None:
    if holder not in _holders:
        _holders.append(holder)


def holders(letter_uuid: uuid.UUID) -> set[str]:
    """Agency codes of every letter, draft and message here that carries ``letter_uuid``."""
    codes = set(Letter.objects.filter(letter_uuid=letter_uuid).values_list("agency__code", flat=True))
    for holder in _holders:
        codes |= holder(letter_uuid)
    return codes


def check_claim(letter_uuid: uuid.UUID, agency_code: str, *, direction: str) -> None:
    """Refuse :class:`LetterIdTaken` unless ``agency_code`` may give a letter this id: nobody else holds it,
    and a new outgoing letter takes an id nobody holds at all (its own agency's other letters included)."""
    held = holders(letter_uuid)
    if held - {agency_code}:
        raise LetterIdTaken()
    if direction == Direction.OUTGOING and held:
        raise LetterIdTaken()
