"""Making and moving steps: who a step goes to (cleared for the letter), its due date, the grant that
lets the recipient see the letter, the notices, and handing a template run on to its next step."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction

from saraban.access.principal import principal_for
from saraban.kernel import clock
from saraban.kernel.actor import Actor
from saraban.kernel.models import SECRECY_LEVEL, Secrecy
from saraban.kernel.thai import format_date
from saraban.letters import records
from saraban.letters.models import Letter
from saraban.orgs.models import Person, Unit

from .. import calendar, errors
from ..models import OPEN_STATUSES, Step, StepKind, StepStatus
from ..notify.service import notify
from ..resolve import Resolved, Target, acts_for, agency_of, own_position, resolve
from .common import on_route


def check_recipients(letter: Letter, resolved: Sequence[Resolved]) -> None:
    """Every recipient is inside the letter's own agency (another agency is reached only by dispatch, which
    numbers and records the letter) and cleared for it; a classified letter never goes to a whole unit."""
    for r in resolved:
        if agency_of(r) != letter.agency_id:
            raise errors.OtherAgency(details={"to": r.label})
    level = SECRECY_LEVEL[Secrecy(letter.secrecy)]
    if level == 0:
        return
    for r in resolved:
        if r.unit is not None:
            raise errors.ClassifiedToUnit()
        if r.person is not None and r.person.clearance < level:
            raise errors.RecipientNotCleared(details={"person": r.person.full_name_th})


def grant_step(letter: Letter, step: Step) -> None:
    records.grant(letter, person=step.to_person if step.to_unit_id is None else None, unit=step.to_unit,
                  reason=f"step:{step.pk}")


def sender_fields(actor: Actor, person: Person, day: dt.date) -> dict[str, Any]:
    pos = own_position(person, day)
    from_unit = pos.unit if pos else person.home_unit
    desk = principal_for(actor).desk_unit_id
    if desk and pos is None:
        from_unit = Unit.objects.get(pk=desk)
    return {"sent_by": actor, "sender": person, "from_unit": from_unit,
            "sender_label": person.full_name_th + (f" ({pos.title_th})" if pos else "")}


def due_by(working_days: int | None, due_date: dt.date | None, today: dt.date) -> tuple[int | None, dt.date | None]:
    if working_days is not None:
        if not 0 < working_days <= calendar.MAX_WORKING_DAYS:
            raise errors.InvalidDue("จำนวนวันทำการต้องอยู่ระหว่าง 1 ถึง 365", "Working days must be 1 to 365")
        return working_days, calendar.add_working_days(today, working_days)
    if due_date is not None:
        if due_date < today:
            raise errors.InvalidDue(f"กำหนดเสร็จ ({format_date(due_date)}) เป็นวันที่ผ่านมาแล้ว",
                                    f"The due date ({due_date.isoformat()}) is in the past")
        return calendar.working_days_between(today, due_date), due_date
    return None, None


def make_steps(actor: Actor, person: Person, letter: Letter, targets: Sequence[Target], *, kind: str,
               instruction: str = "", parent: Step | None = None, working_days: int | None = None,
               due_date: dt.date | None = None, batch: uuid.UUID | None = None) -> list[Step]:
    if not targets:
        raise errors.NoTarget()
    today = clock.today()
    resolved = [resolve(t, today) for t in targets]
    check_recipients(letter, resolved)
    wd, due = due_by(working_days, due_date, today)
    now = clock.now()
    sender = sender_fields(actor, person, today)
    steps = []
    for r in resolved:
        if kind == StepKind.ASSIGN and r.person is not None and Step.objects.filter(
                letter=letter, kind=StepKind.ASSIGN, to_person=r.person, status__in=OPEN_STATUSES).exists():
            raise errors.AlreadyAssigned(details={"person": r.person.full_name_th})
        step = Step(letter=letter, kind=kind, status=StepStatus.SENT, parent=parent, batch=batch, **sender,
                    to_unit=r.unit, to_position=r.position, to_person=r.person, acting=r.acting, to_label=r.label,
                    instruction=instruction, working_days=wd, due_date=due, created_at=now, sent_at=now)
        try:
            with transaction.atomic():
                step.save(force_insert=True)
        except IntegrityError as exc:  # a concurrent twin got there first
            raise errors.AlreadyAssigned() from exc
        grant_step(letter, step)
        step._reach = r.reach  # type: ignore[attr-defined]
        steps.append(step)
    return steps


def announce(steps: Sequence[Step], letter: Letter, *, event: str, verb_th: str) -> None:
    for s in steps:
        due = f" กำหนดเสร็จ {format_date(s.due_date, style='abbr')}" if s.due_date else ""
        notify(getattr(s, "_reach", ()) or [p for p in (s.to_person,) if p], event=event, letter=letter, step=s,
               title=f"{verb_th}: {letter.subject}"[:500],
               body=f"จาก {s.sender_label}{due}" + (f"\n{s.instruction}" if s.instruction else ""),
               url=f"/letters/{letter.pk}/")


def touch_own_steps(person: Person, letter: Letter, *, status: str = StepStatus.ACKNOWLEDGED,
                    only: Step | None = None, new: Sequence[Step] = ()) -> list[Step]:
    """Mark the actor's own open steps on the letter as acted on (they endorsed or passed it on); the ``new``
    steps the action just made are not among them (a registrar who sends a letter to their own unit has not
    acted on it for the unit's head)."""
    now = clock.now()
    today = clock.today()
    touched = []
    fresh = {s.pk for s in new}
    for s in ([only] if only else on_route(person, letter, today)):
        if s.status not in (StepStatus.SENT, StepStatus.OPENED) or s.pk in fresh:
            continue
        acting = acts_for(person, s.to_position_id, today) is not None
        s.status = status
        s.opened_at = s.opened_at or now
        s.opened_by_id = s.opened_by_id or person.pk
        s.acknowledged_at = s.acknowledged_at or now
        s.acted_by, s.acted_acting = person, acting
        s.save(update_fields=["status", "opened_at", "opened_by", "acknowledged_at", "acted_by", "acted_acting"])
        touched.append(s)
        release_next(s)
    return touched


def release_next(step: Step) -> Step | None:
    """In a template run, hand the letter to the next waiting step once this one was acted on."""
    if step.batch is None:
        return None
    nxt = (Step.objects.filter(batch=step.batch, status=StepStatus.WAITING, order__gt=step.order)
           .order_by("order").first())
    if nxt is None:
        return None
    today = clock.today()
    target = Target(unit=str(nxt.to_unit_id) if nxt.to_unit_id else None,
                    position=str(nxt.to_position_id) if nxt.to_position_id else None,
                    person=str(nxt.to_person_id) if nxt.to_person_id and not nxt.to_position_id else None)
    r = resolve(target, today)
    check_recipients(step.letter, [r])
    now = clock.now()
    nxt.status, nxt.sent_at, nxt.created_at = StepStatus.SENT, now, now
    nxt.to_person, nxt.acting, nxt.to_label = r.person, r.acting, r.label
    if nxt.working_days:
        nxt.due_date = calendar.add_working_days(today, nxt.working_days)
    nxt.save(update_fields=["status", "sent_at", "created_at", "to_person", "acting", "to_label", "due_date"])
    grant_step(step.letter, nxt)
    nxt._reach = r.reach  # type: ignore[attr-defined]
    announce([nxt], step.letter, event="sent", verb_th="หนังสือเสนอถึงท่าน")
    return nxt
