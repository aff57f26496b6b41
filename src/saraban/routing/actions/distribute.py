"""Sending a registered letter on: to chosen units, positions or people, or along a route template."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.letters.models import Letter

from .. import errors, text
from ..models import RouteTemplate, RouteTemplateStep, Step, StepKind, StepStatus
from ..resolve import Target
from .common import audit_letter, clean, routing_start, step_data
from .steps import announce, make_steps, sender_fields, touch_own_steps


@action("routing.distribute")
def distribute(actor: Actor, letter: Letter, targets: Sequence[Target], *, instruction: str = "") -> list[Step]:
    """Send a registered letter to units, positions or people (§7.1 step 4)."""
    letter, person, mine = routing_start(actor, letter, "ท่านไม่มีสิทธิ์ส่งต่อหนังสือนี้", "You may not route this letter")
    steps = make_steps(actor, person, letter, targets, kind=StepKind.DISTRIBUTE, instruction=clean(instruction),
                       parent=mine[0] if mine else None)
    touched = touch_own_steps(person, letter, new=steps)
    announce(steps, letter, event="sent", verb_th="หนังสือส่งถึงท่าน")
    text.refresh(letter)
    audit_letter("routing.distribute", actor, letter, steps=step_data(steps), acted=[str(s.pk) for s in touched])
    return steps


@action("routing.apply_template")
def apply_template(actor: Actor, letter: Letter, template: RouteTemplate) -> list[Step]:
    """Start the usual path an administrator defined: the first step is sent, the rest wait their turn."""
    letter, person, mine = routing_start(actor, letter, "ท่านไม่มีสิทธิ์ส่งต่อหนังสือนี้", "You may not route this letter")
    tsteps = list(template.steps.select_related("to_unit", "to_position", "to_person").order_by("order"))
    if not template.active or not tsteps:
        raise errors.WrongState("แม่แบบเส้นทางนี้ไม่ได้ใช้งานหรือไม่มีขั้นตอน", "This route template is inactive or empty")
    batch = uuid.uuid4()
    first = tsteps[0]
    steps = make_steps(actor, person, letter, [_template_target(first)], kind=first.kind,
                       instruction=first.instruction, working_days=first.working_days, batch=batch,
                       parent=mine[0] if mine else None)
    now = clock.now()
    sender = sender_fields(actor, person, clock.today())
    for t in tsteps[1:]:
        steps.append(Step.objects.create(
            letter=letter, kind=t.kind, status=StepStatus.WAITING, batch=batch, order=t.order, **sender,
            to_unit=t.to_unit, to_position=t.to_position, to_person=t.to_person, to_label=_template_label(t),
            instruction=t.instruction, working_days=t.working_days, created_at=now))
    steps[0].order = first.order
    steps[0].save(update_fields=["order"])
    touch_own_steps(person, letter, new=steps)
    announce(steps[:1], letter, event="sent", verb_th="หนังสือเสนอถึงท่าน")
    text.refresh(letter)
    audit_letter("routing.apply_template", actor, letter, template=str(template.pk), template_name=template.name,
                 steps=step_data(steps))
    return steps


def _template_target(t: RouteTemplateStep) -> Target:
    if t.to_position_id:
        return Target(position=str(t.to_position_id))
    if t.to_unit_id:
        return Target(unit=str(t.to_unit_id))
    return Target(person=str(t.to_person_id))


def _template_label(t: RouteTemplateStep) -> str:
    if t.to_position_id:
        return t.to_position.title_th
    if t.to_unit_id:
        return t.to_unit.short_name_th or t.to_unit.name_th
    return t.to_person.full_name_th if t.to_person else ""
