"""Route templates: the usual paths an administrator defines for a unit (and a kind of letter)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.orgs.models import Unit

from .. import errors
from ..models import RouteTemplate, RouteTemplateStep, StepKind
from ..resolve import Target, resolve
from .common import clean, require_admin


@action("routing.template_save")
def save_template(actor: Actor, unit: Unit, name: str, steps: Sequence[dict[str, Any]], *,
                  kind: str = "") -> RouteTemplate:
    """A route template: ``steps`` are ``{"unit"|"position"|"person": ..., "kind", "instruction",
    "working_days"}`` in order.  Saving a template of the same unit, kind and name retires the old one."""
    require_admin(actor, unit.pk)
    name = clean(name, 255)
    if not name:
        raise errors.EmptyText("ต้องระบุชื่อแม่แบบ", "The template needs a name")
    if not steps:
        raise errors.NoTarget("แม่แบบต้องมีอย่างน้อยหนึ่งขั้นตอน", "A template needs at least one step")
    RouteTemplate.objects.filter(unit=unit, kind=kind, name=name, active=True).update(active=False)
    t = RouteTemplate.objects.create(unit=unit, kind=kind, name=name, created_at=clock.now())
    today = clock.today()
    for i, s in enumerate(steps, start=1):
        target = Target(unit=s.get("unit"), position=s.get("position"), person=s.get("person"))
        r = resolve(target, today) if not target.position else None
        from saraban.orgs.models import Position

        pos = Position.objects.filter(code=target.position).first() if target.position else None
        if target.position and pos is None:
            raise errors.UnknownTarget(details={"position": target.position})
        step_kind = s.get("kind") or StepKind.PROPOSE
        if step_kind not in StepKind.values or step_kind == StepKind.CIRCULAR:
            raise errors.UnknownTarget("ประเภทขั้นตอนไม่ถูกต้อง", "Unknown step kind", code="invalid_kind")
        RouteTemplateStep.objects.create(
            template=t, order=i, kind=step_kind, to_position=pos, to_unit=r.unit if r else None,
            to_person=r.person if r and r.unit is None else None, instruction=clean(s.get("instruction", ""), 500),
            working_days=s.get("working_days"))
    audit.record("routing.template_save", actor=actor, obj=t, data={"unit": unit.code, "kind": kind, "name": name,
                                                                     "steps": len(steps)})
    return t


@action("routing.template_retire")
def retire_template(actor: Actor, template: RouteTemplate) -> RouteTemplate:
    require_admin(actor, template.unit_id)
    RouteTemplate.objects.filter(pk=template.pk).update(active=False)
    audit.record("routing.template_retire", actor=actor, obj=template, data={"name": template.name})
    template.active = False
    return template
