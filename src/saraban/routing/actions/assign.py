"""Assignment (มอบหมาย): handing the letter to people to act on, with an instruction and a due date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from saraban.access.principal import principal_for
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.letters.models import Letter

from .. import errors, policy, text
from ..models import Step, StepKind
from ..resolve import Target
from .common import audit_letter, clean, fresh_letter, not_cancelled, on_route, person_of, step_data, step_of
from .steps import announce, make_steps, touch_own_steps


@action("routing.assign")
def assign(actor: Actor, letter: Letter, targets: Sequence[Target], *, instruction: str,
           working_days: int | None = None, due_date: dt.date | None = None, step_id: Any = None) -> list[Step]:
    letter = fresh_letter(actor, letter)
    step = step_of(letter, step_id) if step_id else None
    not_cancelled(letter)
    person = person_of(actor)
    mine = on_route(person, letter, clock.today())
    if not policy.can_route_letter(principal_for(actor), letter, on_route=bool(mine)):
        raise errors.NotAllowed("ท่านไม่มีสิทธิ์มอบหมายหนังสือนี้", "You may not assign this letter")
    instruction = clean(instruction)
    if not instruction:
        raise errors.EmptyText("ต้องระบุคำสั่งการ", "An instruction is required")
    steps = make_steps(actor, person, letter, targets, kind=StepKind.ASSIGN, instruction=instruction,
                       parent=step or (mine[0] if mine else None), working_days=working_days, due_date=due_date)
    touched = touch_own_steps(person, letter, only=step) if step else touch_own_steps(person, letter, new=steps)
    announce(steps, letter, event="assigned", verb_th="มอบหมายงาน")
    text.refresh(letter)
    audit_letter("routing.assign", actor, letter, steps=step_data(steps), instruction=instruction,
                 acted=[str(s.pk) for s in touched])
    return steps
