"""Re-grading a classified letter (การปรับชั้นความลับ): raise, lower or cancel its class, with who, why and when.

One action does it all: the history row (:class:`~saraban.records.models.Regrading`), the letter's class and
its files' encryption (:func:`saraban.letters.regrade.set_secrecy`), the move between the ordinary and the
secret books (:func:`saraban.registry.entries.move_for_regrading`), and a notice to those who hold the letter
(R47: holders are told; the notice of a classified letter names nothing).  ลับที่สุด stays out of the system:
raising to it is refused — the letter is taken out of the system instead.
"""

from __future__ import annotations

import uuid

from saraban.access.principal import principal_for
from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.models import SECRECY_LEVEL, Secrecy
from saraban.letters.models import Letter, LetterAccess, LetterStatus
from saraban.letters.policy import can_view_letter
from saraban.letters.regrade import set_secrecy
from saraban.orgs.models import Person
from saraban.registry.entries import move_for_regrading
from saraban.routing.notify.service import notify
from saraban.routing.resolve import own_position

from .. import errors
from ..models import GradeChange, Regrading
from ..policy import can_regrade


def change_of(before: str, after: str) -> str:
    if before == Secrecy.NORMAL:
        return GradeChange.CLASSIFY
    if after == Secrecy.NORMAL:
        return GradeChange.DECLASSIFY
    return GradeChange.RAISE if SECRECY_LEVEL[Secrecy(after)] > SECRECY_LEVEL[Secrecy(before)] else GradeChange.LOWER


def _checked_letter(actor: Actor, letter_id: uuid.UUID, to: str, reason: str) -> Letter:
    if to not in Secrecy.values:
        raise errors.InvalidInput("ชั้นความลับไม่ถูกต้อง", "Unknown secrecy class", code="invalid_secrecy")
    if to == Secrecy.TOP_SECRET:
        raise errors.TopSecretRegradeRefused()
    letter = Letter.objects.select_for_update().select_related("unit").filter(pk=letter_id).first()
    p = principal_for(actor)
    if letter is None or not can_view_letter(p, letter):
        raise errors.LetterNotFound()
    if letter.status == LetterStatus.OUTSIDE:
        raise errors.OutsideLetter()
    if letter.status == LetterStatus.CANCELLED:
        raise errors.InvalidInput("หนังสือนี้ถูกยกเลิกแล้ว", "This letter is cancelled", code="letter_cancelled")
    if not can_regrade(p, letter, to):
        raise errors.NotAllowedToRegrade()
    if letter.secrecy == to:
        raise errors.SameGrade()
    if not reason.strip():
        raise errors.ReasonRequired()
    return letter


def _holders(letter: Letter) -> list[Person]:
    ids = LetterAccess.objects.filter(letter=letter, person__isnull=False).values_list("person_id", flat=True)
    return list(Person.objects.filter(pk__in=set(ids)))


@action("records.regraded")
def regrade(actor: Actor, letter_id: uuid.UUID, to: str, reason: str, authority: str = "") -> Regrading:
    """Change a letter's secrecy class to ``to`` (``normal`` declassifies), recording who, why and when."""
    letter = _checked_letter(actor, letter_id, to, reason)
    before = letter.secrecy
    now = clock.now()
    person = Person.objects.filter(user=actor).first() if actor is not None else None
    position = own_position(person, clock.to_bkk(now).date()) if person else None
    encrypted, _left = set_secrecy(letter, to)
    closed, opened = move_for_regrading(actor, letter, to)
    row = Regrading.objects.create(
        letter=letter, change=change_of(before, to), from_secrecy=before, to_secrecy=to, reason=reason.strip(),
        authority=authority.strip()[:500], decided_by=actor, at=now, files_encrypted=encrypted,
        decided_by_name=person.full_name_th if person else getattr(actor, "username", "system"),
        decided_by_position=position.title_th if position else "",
    )
    row.moved_from.set(closed)
    row.moved_to.set(opened)
    notify(_holders(letter), event="records.regraded", letter=letter, url=f"/letters/{letter.pk}",
           title=f"ชั้นความลับของหนังสือเปลี่ยนเป็น {Secrecy(to).label}: {letter.subject}")
    audit.record("records.regraded", actor=actor, obj=letter, data={
        "regrading": str(row.pk), "change": row.change, "from": before, "to": to, "files_encrypted": encrypted,
        "moved_from": [e.display for e in closed], "moved_to": [e.display for e in opened],
    })
    return row


def history(letter: Letter) -> list[Regrading]:
    return list(Regrading.objects.filter(letter=letter).order_by("at"))

