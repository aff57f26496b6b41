"""What every routing action checks first: who the actor is, the letter as it is now (visible, not
cancelled), the step of that letter, and the actor's right to route it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from saraban.access.principal import principal_for
from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actor import Actor
from saraban.letters.models import Letter, LetterStatus
from saraban.letters.queries import letter_for
from saraban.orgs.models import Person
from saraban.registry.models import RegisterEntry

from .. import errors, policy
from ..models import OPEN_STATUSES, Step
from ..resolve import is_recipient

MAX_TEXT = 4000


def person_of(actor: Actor) -> Person:
    person = Person.objects.select_related("home_unit").filter(user_id=getattr(actor, "pk", None)).first()
    if person is None:
        raise errors.NotAllowed("ผู้ใช้นี้ไม่มีข้อมูลบุคลากร จึงส่งต่อหนังสือไม่ได้",
                                "This user has no person record and cannot route letters")
    return person


def fresh_letter(actor: Actor, letter: Letter | Any) -> Letter:
    """The letter re-read inside the transaction, if the actor may see it (else a 404)."""
    return letter_for(actor, letter.pk if isinstance(letter, Letter) else letter)


def not_cancelled(letter: Letter) -> None:
    if letter.status == LetterStatus.CANCELLED:
        reasons = [r for r in RegisterEntry.objects.filter(letter=letter, cancelled=True)
                   .values_list("cancel_reason", flat=True) if r]
        why = reasons[0] if reasons else ""
        raise errors.LetterCancelled(
            "หนังสือนี้ถูกยกเลิกแล้ว" + (f" (เหตุผล: {why})" if why else "") + " จึงเกษียนหรือส่งต่อไม่ได้",
            "This letter has been cancelled" + (f" (reason: {why})" if why else "")
            + "; it cannot be endorsed or routed",
            details={"reason": why})
    if letter.status == LetterStatus.OUTSIDE:
        raise errors.WrongState("หนังสือลับที่สุดดำเนินการนอกระบบ", "Top secret letters are handled outside the system")


def step_of(letter: Letter, step_id: Any) -> Step:
    """The step ``step_id`` *of this letter*: an id from another letter is not found."""
    try:
        sid = step_id if isinstance(step_id, uuid.UUID) else uuid.UUID(str(step_id))
    except ValueError as exc:
        raise errors.StepNotFound() from exc
    step = Step.objects.select_related("to_person", "to_position", "to_unit", "sender").filter(
        pk=sid, letter_id=letter.pk).first()
    if step is None:
        raise errors.StepNotFound(details={"step": str(step_id)})
    return step


def on_route(person: Person, letter: Letter, day: dt.date) -> list[Step]:
    """The person's open steps on this letter (as recipient)."""
    return [s for s in Step.objects.filter(letter=letter, status__in=OPEN_STATUSES)
            if is_recipient(person.pk, s, day)]


def clean(value: str, limit: int = MAX_TEXT) -> str:
    return (value or "").strip()[:limit]


def step_data(steps: Sequence[Step]) -> list[dict[str, Any]]:
    return [{"step": str(s.pk), "kind": s.kind, "to": s.to_label, "acting": s.acting,
             "due": s.due_date.isoformat() if s.due_date else None} for s in steps]


def audit_letter(name: str, actor: Actor, letter: Letter, **data: Any) -> None:
    audit.record(name, actor=actor, obj=letter, data={"letter": str(letter.pk), **data})


def routing_start(actor: Actor, letter: Letter, denied_th: str, denied_en: str) -> tuple[Letter, Any, list[Any]]:
    """What every routing action checks first: the letter as it is now, not cancelled, and the actor's right
    to route it (on its route today, or by role).  Returns (letter, actor's person, actor's open steps)."""
    letter = fresh_letter(actor, letter)
    not_cancelled(letter)
    person = person_of(actor)
    mine = on_route(person, letter, clock.today())
    if not policy.can_route_letter(principal_for(actor), letter, on_route=bool(mine)):
        raise errors.NotAllowed(denied_th, denied_en)
    return letter, person, mine


def require_admin(actor: Actor, unit_id: Any = None) -> None:
    if not policy.can_admin_routing(principal_for(actor), unit_id):
        raise errors.NotAllowed("เฉพาะผู้ดูแลระบบของหน่วยงาน", "Agency administrators only")
