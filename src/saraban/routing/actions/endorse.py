"""Endorsement (เกษียน): append-only text with the typed name, position and server time, and the
assignment it may order in the same transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from saraban.access.principal import principal_for
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.tasks import enqueue
from saraban.letters.models import Letter
from saraban.orgs.models import Person

from .. import errors, policy, text
from ..models import Endorsement, Step, StepKind
from ..notify.service import notify
from ..resolve import Target, acts_for, own_position
from .common import MAX_TEXT, audit_letter, clean, fresh_letter, not_cancelled, on_route, person_of, step_data, step_of
from .steps import announce, make_steps, touch_own_steps


def signing_identity(person: Person, letter: Letter, step: Step | None, day: dt.date) -> tuple[str, str]:
    """(position, acting for) as the endorsement shows them."""
    own = own_position(person, day)
    acting = None
    candidates = [step] if step else on_route(person, letter, day)
    for s in candidates:
        acting = acts_for(person, s.to_position_id, day)
        if acting:
            break
    return (own.title_th if own else ""), (acting.title_th if acting else "")


@action("routing.endorse")
def endorse(actor: Actor, letter: Letter, text_: str, *, step_id: Any = None, follows_id: Any = None,
            assign_to: Sequence[Target] = (), instruction: str = "", working_days: int | None = None,
            due_date: dt.date | None = None) -> Endorsement:
    """An endorsement (เกษียน): append-only text with typed name, position and server time; optionally the
    assignment it orders, in the same transaction (the phone's "มอบ … ดำเนินการ")."""
    letter = fresh_letter(actor, letter)
    step = step_of(letter, step_id) if step_id else None
    follows = None
    if follows_id:
        try:
            follows = Endorsement.objects.filter(pk=uuid.UUID(str(follows_id)), letter=letter).first()
        except ValueError:
            follows = None
        if follows is None:
            raise errors.StepNotFound("ไม่พบบันทึกเกษียนที่อ้างถึงในหนังสือฉบับนี้",
                                      "No such endorsement on this letter", code="endorsement_not_found")
    not_cancelled(letter)
    person = person_of(actor)
    if not person.identity_verified:
        raise errors.IdentityNotVerified()
    today = clock.today()
    mine = on_route(person, letter, today)
    if not policy.can_endorse_letter(principal_for(actor), letter, on_route=bool(mine)):
        raise errors.NotAllowed("ท่านไม่ได้อยู่ในเส้นทางของหนังสือนี้ จึงเกษียนไม่ได้",
                                "You are not on this letter's route and cannot endorse it")
    body = (text_ or "").strip()[:MAX_TEXT]
    if not body:
        raise errors.EmptyText("ต้องระบุข้อความเกษียน", "The endorsement text is required")
    position, acting_for = signing_identity(person, letter, step, today)
    assigned: list[Step] = []
    if assign_to:
        assigned = make_steps(actor, person, letter, assign_to, kind=StepKind.ASSIGN,
                              instruction=clean(instruction) or body, parent=step or (mine[0] if mine else None),
                              working_days=working_days, due_date=due_date)
    e = Endorsement.objects.create(
        letter=letter, step=step or (mine[0] if mine else None), follows=follows, author=actor, person=person,
        typed_name=person.full_name_th, position_title=position, acting_for=acting_for, text=body,
        target_label=", ".join(s.to_label for s in assigned), created_at=clock.now())
    e.assigned = assigned  # type: ignore[attr-defined]
    touched = touch_own_steps(person, letter, only=step) if step else touch_own_steps(person, letter, new=assigned)
    announce(assigned, letter, event="assigned", verb_th="มอบหมายงาน")
    if step and step.sender_id and step.sender_id != person.pk:
        notify([step.sender], event="endorsed", letter=letter, step=step, title=f"เกษียนแล้ว: {letter.subject}"[:500],
               body=f"{person.full_name_th}: {body}", url=f"/letters/{letter.pk}/")
    text.refresh(letter)
    from ..tasks import render_annex  # the worker draws the annex after commit

    enqueue(render_annex, str(letter.pk))
    audit_letter("routing.endorse", actor, letter, endorsement=str(e.pk), text=body, typed_name=e.typed_name,
                 position=position, acting_for=acting_for, follows=str(follows.pk) if follows else None,
                 assigned=step_data(assigned), acted=[str(s.pk) for s in touched])
    return e
