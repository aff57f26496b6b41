"""จองเลข: an outgoing number taken for a letter typed elsewhere, its PDF attached later, or the reservation
cancelled with a reason (the number stays in the book, marked: :func:`.actions.cancel_registration`).

Reserving is :func:`.actions.issue_outgoing` without a file.  :func:`attach_file` gives the letter its PDF
(and enclosures) once; on request it also keeps a copy with the number and date stamped at the top left of
page 1 (:data:`~saraban.letters.models.FileRole.NUMBERED`, drawn by the worker: :func:`.tasks.stamp_number`),
which is what is sent.  The letter then waits to be sent.
"""

from __future__ import annotations

from collections.abc import Sequence

from saraban.access.principal import principal_for
from saraban.audit import log as audit
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.errors import Conflict, InvalidInput
from saraban.kernel.tasks import enqueue
from saraban.letters import enclosures as parts
from saraban.letters import records
from saraban.letters.actions import store_parts
from saraban.letters.enclosures import Upload
from saraban.letters.models import Direction, FileRole, Letter, LetterFile, LetterStatus

from . import errors, policy
from .models import RegisterEntry
from .tasks import stamp_number


class AlreadyAttached(Conflict):
    code = "file_already_attached"
    message_th = "หนังสือนี้มีไฟล์หนังสือแล้ว"
    message_en = "This letter already has its file"


def is_reservation(letter: Letter) -> bool:
    """An outgoing number still waiting for its letter's PDF."""
    return (letter.direction == Direction.OUTGOING and letter.status == LetterStatus.REGISTERED
            and not letter.files.filter(role=FileRole.LETTER).exists())


@action("registry.attach_file")
def attach_file(actor: Actor, letter: Letter, upload: Upload, *, enclosures: Sequence[Upload] = (),
                stamp: bool = False) -> LetterFile:
    """Give a reserved number its letter's PDF (and enclosures), once; ``stamp`` also keeps a copy with the
    number and date on page 1."""
    letter = Letter.objects.select_related("agency", "unit").get(pk=letter.pk)
    if letter.direction != Direction.OUTGOING:
        raise InvalidInput("แนบไฟล์ได้เฉพาะหนังสือส่งที่จองเลขไว้", "Only reserved outgoing numbers take a file later",
                           code="not_a_reservation")
    entry = RegisterEntry.objects.filter(letter=letter, cancelled=False).select_related("book").first()
    if letter.status == LetterStatus.CANCELLED or entry is None:
        raise errors.AlreadyCancelled("เลขนี้ถูกยกเลิกแล้ว แนบไฟล์ไม่ได้", "This number was cancelled",
                                      code="letter_cancelled")
    p = principal_for(actor)
    mine = actor is not None and letter.created_by_id == actor.pk
    if not (policy.can_register_in(p, letter.unit_id, letter.secrecy) or mine):
        raise errors.NotAllowed("ท่านไม่มีสิทธิ์แนบไฟล์ให้เลขนี้", "You may not attach the file of this number")
    if letter.files.filter(role=FileRole.LETTER).exists():
        raise AlreadyAttached()
    main, extras = parts.prepare_all(upload, list(enclosures), classified=letter.is_classified)
    assert main is not None
    kept, kept_enclosures = store_parts(letter, main, extras)
    assert kept is not None
    if stamp:  # the worker draws the number-and-date copy after the commit
        enqueue(stamp_number, str(entry.pk), str(kept.pk))
    records.mark_awaiting_dispatch(letter)
    audit.record("registry.attach_file", actor=actor, obj=entry, data={
        "letter": str(letter.pk), "number": entry.display, "sha256": kept.blob.sha256,
        "enclosures": [f.blob.sha256 for f in kept_enclosures], "stamp": stamp,
    })
    return kept
