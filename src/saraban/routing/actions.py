"""Routing actions: every state change of a route is one of these (one transaction, one audit event).

Each action checks, in order: the letter is visible to the actor (else the same 404 as a missing letter),
the step belongs to the letter (a step id from another letter is refused), the letter is not cancelled,
the actor may do this, the input is sound — and only then writes.  Writes are the steps, need-to-know
grants (:class:`LetterAccess`), the register's การปฏิบัติ, notifications and their outbox rows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction

from saraban.access.principal import principal_for
from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.models import SECRECY_LEVEL, Secrecy
from saraban.kernel.tasks import enqueue
from saraban.kernel.thai import format_date
from saraban.letters import records
from saraban.letters.models import Letter, LetterStatus
from saraban.letters.queries import letter_for
from saraban.orgs.models import Person, Unit
from saraban.registry import entries
from saraban.registry import errors as registry_errors
from saraban.registry import policy as registry_policy
from saraban.registry.models import RegisterEntry

from . import calendar, errors, policy, queries, text
from .models import (
    OPEN_STATUSES,
    Endorsement,
    Holiday,
    Notification,
    NotifyPreference,
    RouteTemplate,
    RouteTemplateStep,
    Step,
    StepKind,
    StepStatus,
)
from .notify.service import notify
from .resolve import Resolved, Target, acts_for, is_recipient, own_position, resolve

MAX_TEXT = 4000


# ---- shared checks -------------------------------------------------------------------------------

def person_of(actor: Any) -> Person:
    person = Person.objects.select_related("home_unit").filter(user_id=getattr(actor, "pk", None)).first()
    if person is None:
        raise errors.NotAllowed("ผู้ใช้นี้ไม่มีข้อมูลบุคลากร จึงส่งต่อหนังสือไม่ได้",
                                "This user has no person record and cannot route letters")
    return person


def fresh_letter(actor: Any, letter: Letter | Any) -> Letter:
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


def _clean(value: str, limit: int = MAX_TEXT) -> str:
    return (value or "").strip()[:limit]


def _check_recipients(letter: Letter, resolved: Sequence[Resolved]) -> None:
    level = SECRECY_LEVEL[Secrecy(letter.secrecy)]
    if level == 0:
        return
    for r in resolved:
        if r.unit is not None:
            raise errors.ClassifiedToUnit()
        if r.person is not None and r.person.clearance < level:
            raise errors.RecipientNotCleared(details={"person": r.person.full_name_th})


def _grant(letter: Letter, step: Step) -> None:
    records.grant(letter, person=step.to_person if step.to_unit_id is None else None, unit=step.to_unit,
                  reason=f"step:{step.pk}")


def _sender_fields(actor: Any, person: Person, day: dt.date) -> dict[str, Any]:
    pos = own_position(person, day)
    from_unit = pos.unit if pos else person.home_unit
    desk = principal_for(actor).desk_unit_id
    if desk and pos is None:
        from_unit = Unit.objects.get(pk=desk)
    return {"sent_by": actor, "sender": person, "from_unit": from_unit,
            "sender_label": person.full_name_th + (f" ({pos.title_th})" if pos else "")}


def _due(working_days: int | None, due_date: dt.date | None, today: dt.date) -> tuple[int | None, dt.date | None]:
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


def _make_steps(actor: Any, person: Person, letter: Letter, targets: Sequence[Target], *, kind: str,
                instruction: str = "", parent: Step | None = None, working_days: int | None = None,
                due_date: dt.date | None = None, batch: uuid.UUID | None = None) -> list[Step]:
    if not targets:
        raise errors.NoTarget()
    today = clock.today()
    resolved = [resolve(t, today) for t in targets]
    _check_recipients(letter, resolved)
    wd, due = _due(working_days, due_date, today)
    now = clock.now()
    sender = _sender_fields(actor, person, today)
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
        _grant(letter, step)
        step._reach = r.reach  # type: ignore[attr-defined]
        steps.append(step)
    return steps


def _announce(steps: Sequence[Step], letter: Letter, *, event: str, verb_th: str) -> None:
    for s in steps:
        due = f" กำหนดเสร็จ {format_date(s.due_date, style='abbr')}" if s.due_date else ""
        notify(getattr(s, "_reach", ()) or [p for p in (s.to_person,) if p], event=event, letter=letter, step=s,
               title=f"{verb_th}: {letter.subject}"[:500],
               body=f"จาก {s.sender_label}{due}" + (f"\n{s.instruction}" if s.instruction else ""),
               url=f"/letters/{letter.pk}/")


def _touch_own_steps(person: Person, letter: Letter, *, status: str = StepStatus.ACKNOWLEDGED,
                     only: Step | None = None) -> list[Step]:
    """Mark the actor's own open steps on the letter as acted on (they endorsed or passed it on)."""
    now = clock.now()
    today = clock.today()
    touched = []
    for s in ([only] if only else on_route(person, letter, today)):
        if s.status not in (StepStatus.SENT, StepStatus.OPENED):
            continue
        acting = acts_for(person, s.to_position_id, today) is not None
        s.status = status
        s.opened_at = s.opened_at or now
        s.opened_by_id = s.opened_by_id or person.pk
        s.acknowledged_at = s.acknowledged_at or now
        s.acted_by, s.acted_acting = person, acting
        s.save(update_fields=["status", "opened_at", "opened_by", "acknowledged_at", "acted_by", "acted_acting"])
        touched.append(s)
        _release_next(s)
    return touched


def _release_next(step: Step) -> Step | None:
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
    _check_recipients(step.letter, [r])
    now = clock.now()
    nxt.status, nxt.sent_at, nxt.created_at = StepStatus.SENT, now, now
    nxt.to_person, nxt.acting, nxt.to_label = r.person, r.acting, r.label
    if nxt.working_days:
        nxt.due_date = calendar.add_working_days(today, nxt.working_days)
    nxt.save(update_fields=["status", "sent_at", "created_at", "to_person", "acting", "to_label", "due_date"])
    _grant(step.letter, nxt)
    nxt._reach = r.reach  # type: ignore[attr-defined]
    _announce([nxt], step.letter, event="sent", verb_th="หนังสือเสนอถึงท่าน")
    return nxt


def _step_data(steps: Sequence[Step]) -> list[dict[str, Any]]:
    return [{"step": str(s.pk), "kind": s.kind, "to": s.to_label, "acting": s.acting,
             "due": s.due_date.isoformat() if s.due_date else None} for s in steps]


def _audit_letter(name: str, actor: Any, letter: Letter, **data: Any) -> None:
    audit.record(name, actor=actor, obj=letter, data={"letter": str(letter.pk), **data})



def _routing_start(actor: Any, letter: Letter, denied_th: str, denied_en: str) -> tuple[Letter, Any, list[Any]]:
    """What every routing action checks first: the letter as it is now, not cancelled, and the actor's right
    to route it (on its route today, or by role).  Returns (letter, actor's person, actor's open steps)."""
    letter = fresh_letter(actor, letter)
    not_cancelled(letter)
    person = person_of(actor)
    mine = on_route(person, letter, clock.today())
    if not policy.can_route_letter(principal_for(actor), letter, on_route=bool(mine)):
        raise errors.NotAllowed(denied_th, denied_en)
    return letter, person, mine

# ---- distribution --------------------------------------------------------------------------------

@action("routing.distribute")
def distribute(actor: Any, letter: Letter, targets: Sequence[Target], *, instruction: str = "") -> list[Step]:
    """Send a registered letter to units, positions or people (§7.1 step 4)."""
    letter, person, mine = _routing_start(actor, letter, "ท่านไม่มีสิทธิ์ส่งต่อหนังสือนี้", "You may not route this letter")
    steps = _make_steps(actor, person, letter, targets, kind=StepKind.DISTRIBUTE, instruction=_clean(instruction),
                        parent=mine[0] if mine else None)
    touched = _touch_own_steps(person, letter)
    _announce(steps, letter, event="sent", verb_th="หนังสือส่งถึงท่าน")
    text.refresh(letter)
    _audit_letter("routing.distribute", actor, letter, steps=_step_data(steps), acted=[str(s.pk) for s in touched])
    return steps


@action("routing.apply_template")
def apply_template(actor: Any, letter: Letter, template: RouteTemplate) -> list[Step]:
    """Start the usual path an administrator defined: the first step is sent, the rest wait their turn."""
    letter, person, mine = _routing_start(actor, letter, "ท่านไม่มีสิทธิ์ส่งต่อหนังสือนี้", "You may not route this letter")
    tsteps = list(template.steps.select_related("to_unit", "to_position", "to_person").order_by("order"))
    if not template.active or not tsteps:
        raise errors.WrongState("แม่แบบเส้นทางนี้ไม่ได้ใช้งานหรือไม่มีขั้นตอน", "This route template is inactive or empty")
    batch = uuid.uuid4()
    first = tsteps[0]
    steps = _make_steps(actor, person, letter, [_template_target(first)], kind=first.kind,
                        instruction=first.instruction, working_days=first.working_days, batch=batch,
                        parent=mine[0] if mine else None)
    now = clock.now()
    sender = _sender_fields(actor, person, clock.today())
    for t in tsteps[1:]:
        steps.append(Step.objects.create(
            letter=letter, kind=t.kind, status=StepStatus.WAITING, batch=batch, order=t.order, **sender,
            to_unit=t.to_unit, to_position=t.to_position, to_person=t.to_person, to_label=_template_label(t),
            instruction=t.instruction, working_days=t.working_days, created_at=now))
    steps[0].order = first.order
    steps[0].save(update_fields=["order"])
    _touch_own_steps(person, letter)
    _announce(steps[:1], letter, event="sent", verb_th="หนังสือเสนอถึงท่าน")
    text.refresh(letter)
    _audit_letter("routing.apply_template", actor, letter, template=str(template.pk), template_name=template.name,
                  steps=_step_data(steps))
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


# ---- the recipient's side: opened apart from acted on ---------------------------------------------

def unopened_for(actor: Any, letter: Letter) -> list[Step]:
    person = Person.objects.filter(user_id=getattr(actor, "pk", None)).first()
    if person is None:
        return []
    today = clock.today()
    return [s for s in Step.objects.filter(letter=letter, status=StepStatus.SENT) if is_recipient(person.pk, s, today)]


@action("routing.open")
def open_steps(actor: Any, letter: Letter) -> list[Step]:
    """The recipient opened the letter: its steps to them are *opened* (not yet acted on)."""
    letter = fresh_letter(actor, letter)
    person = person_of(actor)
    now = clock.now()
    steps = unopened_for(actor, letter)
    for s in steps:
        s.status, s.opened_at, s.opened_by = StepStatus.OPENED, now, person
        s.save(update_fields=["status", "opened_at", "opened_by"])
    if steps:
        text.refresh(letter)
    _audit_letter("routing.open", actor, letter, steps=[str(s.pk) for s in steps])
    return steps


def _recipient_step(actor: Any, letter: Letter, step_id: Any) -> tuple[Letter, Person, Step]:
    letter = fresh_letter(actor, letter)
    step = step_of(letter, step_id)
    person = person_of(actor)
    if not is_recipient(person.pk, step, clock.today()):
        raise errors.NotRecipient()
    return letter, person, step


@action("routing.acknowledge")
def acknowledge(actor: Any, letter: Letter, step_id: Any, *, note: str = "") -> Step:
    letter, person, step = _recipient_step(actor, letter, step_id)
    not_cancelled(letter)
    if step.status not in (StepStatus.SENT, StepStatus.OPENED):
        raise errors.WrongState(details={"status": step.status})
    _touch_own_steps(person, letter, only=step)
    if note:
        Step.objects.filter(pk=step.pk).update(result=_clean(note))
    if step.sender_id:
        notify([step.sender], event="acknowledged", letter=letter, step=step,
               title=f"รับทราบแล้ว: {letter.subject}"[:500], body=f"{person.full_name_th} รับทราบ",
               url=f"/letters/{letter.pk}/")
    text.refresh(letter)
    _audit_letter("routing.acknowledge", actor, letter, step=str(step.pk), acting=step.acted_acting)
    return step


@action("routing.done")
def report_done(actor: Any, letter: Letter, step_id: Any, *, result: str = "") -> Step:
    letter, person, step = _recipient_step(actor, letter, step_id)
    not_cancelled(letter)
    if step.status not in OPEN_STATUSES:
        raise errors.WrongState(details={"status": step.status})
    now = clock.now()
    acting = acts_for(person, step.to_position_id, clock.today()) is not None
    step.status, step.done_at, step.acted_by, step.acted_acting = StepStatus.DONE, now, person, acting
    step.opened_at = step.opened_at or now
    step.opened_by = step.opened_by or person
    step.acknowledged_at = step.acknowledged_at or now
    step.result = _clean(result)
    step.save(update_fields=["status", "done_at", "acted_by", "acted_acting", "opened_at", "opened_by",
                             "acknowledged_at", "result"])
    _release_next(step)
    if step.sender_id:
        notify([step.sender], event="done", letter=letter, step=step, title=f"ดำเนินการแล้ว: {letter.subject}"[:500],
               body=f"{person.full_name_th}: {step.result}".strip(": "), url=f"/letters/{letter.pk}/")
    text.refresh(letter)
    _audit_letter("routing.done", actor, letter, step=str(step.pk), result=step.result, acting=acting)
    return step


@action("routing.return")
def return_step(actor: Any, letter: Letter, step_id: Any, *, reason: str) -> Step:
    """The recipient sends it back (not theirs, or cannot act) with a reason (R33)."""
    letter, person, step = _recipient_step(actor, letter, step_id)
    reason = _clean(reason, 1000)
    if not reason:
        raise errors.ReasonRequired("ต้องระบุเหตุผลที่ส่งคืน", "A reason for returning is required")
    if step.status not in OPEN_STATUSES:
        raise errors.WrongState(details={"status": step.status})
    now = clock.now()
    step.status, step.closed_at, step.result, step.acted_by = StepStatus.RETURNED, now, reason, person
    step.opened_at = step.opened_at or now
    step.opened_by = step.opened_by or person
    step.save(update_fields=["status", "closed_at", "result", "acted_by", "opened_at", "opened_by"])
    if step.sender_id:
        notify([step.sender], event="returned", letter=letter, step=step, title=f"ส่งคืน: {letter.subject}"[:500],
               body=f"{person.full_name_th}: {reason}", url=f"/letters/{letter.pk}/")
    text.refresh(letter)
    _audit_letter("routing.return", actor, letter, step=str(step.pk), reason=reason)
    return step


@action("routing.recall")
def recall(actor: Any, letter: Letter, step_id: Any) -> Step:
    """The sender pulls a step back before the recipient opened it (R33); their access goes with it."""
    letter = fresh_letter(actor, letter)
    step = step_of(letter, step_id)
    person = person_of(actor)
    p = principal_for(actor)
    same_desk = bool(step.from_unit_id and registry_policy.can_register_in(p, step.from_unit_id, "normal"))
    if step.sender_id != person.pk and not same_desk:
        raise errors.NotAllowed("เฉพาะผู้ส่งเรียกคืนได้", "Only the sender may recall")
    if step.opened_at is not None or step.status not in (StepStatus.SENT, StepStatus.WAITING):
        raise errors.AlreadyOpened()
    step.status, step.closed_at = StepStatus.RECALLED, clock.now()
    step.save(update_fields=["status", "closed_at"])
    records.revoke(letter, f"step:{step.pk}")
    Notification.objects.filter(step=step, read_at__isnull=True).update(read_at=clock.now())
    text.refresh(letter)
    _audit_letter("routing.recall", actor, letter, step=str(step.pk), to=step.to_label)
    return step


# ---- endorsement and assignment ------------------------------------------------------------------

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
def endorse(actor: Any, letter: Letter, text_: str, *, step_id: Any = None, follows_id: Any = None,
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
        assigned = _make_steps(actor, person, letter, assign_to, kind=StepKind.ASSIGN,
                               instruction=_clean(instruction) or body, parent=step or (mine[0] if mine else None),
                               working_days=working_days, due_date=due_date)
    e = Endorsement.objects.create(
        letter=letter, step=step or (mine[0] if mine else None), follows=follows, author=actor, person=person,
        typed_name=person.full_name_th, position_title=position, acting_for=acting_for, text=body,
        target_label=", ".join(s.to_label for s in assigned), created_at=clock.now())
    e.assigned = assigned  # type: ignore[attr-defined]
    touched = _touch_own_steps(person, letter, only=step) if step else _touch_own_steps(person, letter)
    _announce(assigned, letter, event="assigned", verb_th="มอบหมายงาน")
    if step and step.sender_id and step.sender_id != person.pk:
        notify([step.sender], event="endorsed", letter=letter, step=step, title=f"เกษียนแล้ว: {letter.subject}"[:500],
               body=f"{person.full_name_th}: {body}", url=f"/letters/{letter.pk}/")
    text.refresh(letter)
    from .tasks import render_annex

    enqueue(render_annex, str(letter.pk))
    _audit_letter("routing.endorse", actor, letter, endorsement=str(e.pk), text=body, typed_name=e.typed_name,
                  position=position, acting_for=acting_for, follows=str(follows.pk) if follows else None,
                  assigned=_step_data(assigned), acted=[str(s.pk) for s in touched])
    return e


@action("routing.assign")
def assign(actor: Any, letter: Letter, targets: Sequence[Target], *, instruction: str,
           working_days: int | None = None, due_date: dt.date | None = None, step_id: Any = None) -> list[Step]:
    letter = fresh_letter(actor, letter)
    step = step_of(letter, step_id) if step_id else None
    not_cancelled(letter)
    person = person_of(actor)
    mine = on_route(person, letter, clock.today())
    if not policy.can_route_letter(principal_for(actor), letter, on_route=bool(mine)):
        raise errors.NotAllowed("ท่านไม่มีสิทธิ์มอบหมายหนังสือนี้", "You may not assign this letter")
    instruction = _clean(instruction)
    if not instruction:
        raise errors.EmptyText("ต้องระบุคำสั่งการ", "An instruction is required")
    steps = _make_steps(actor, person, letter, targets, kind=StepKind.ASSIGN, instruction=instruction,
                        parent=step or (mine[0] if mine else None), working_days=working_days, due_date=due_date)
    touched = _touch_own_steps(person, letter, only=step) if step else _touch_own_steps(person, letter)
    _announce(steps, letter, event="assigned", verb_th="มอบหมายงาน")
    text.refresh(letter)
    _audit_letter("routing.assign", actor, letter, steps=_step_data(steps), instruction=instruction,
                  acted=[str(s.pk) for s in touched])
    return steps


# ---- circulars -----------------------------------------------------------------------------------

def circular_people(targets: Sequence[Target], day: dt.date) -> list[Person]:
    people: dict[uuid.UUID, Person] = {}
    for t in targets:
        if t.unit:
            r = resolve(t, day)
            assert r.unit is not None
            for p in Person.objects.filter(home_unit__path__startswith=r.unit.path, user__isnull=False,
                                           user__is_active=True):
                people.setdefault(p.pk, p)
        else:
            r = resolve(t, day)
            if r.person is not None:
                people.setdefault(r.person.pk, r.person)
    return list(people.values())


@action("routing.circular")
def send_circular(actor: Any, letter: Letter, targets: Sequence[Target], *, note: str = "") -> list[Step]:
    """One letter to many: a copy per person (the list is fixed when sent), each with its own read state."""
    letter, person, _ = _routing_start(actor, letter, "ท่านไม่มีสิทธิ์แจ้งเวียนหนังสือนี้",
                                       "You may not circulate this letter")
    if not targets:
        raise errors.NoTarget()
    today = clock.today()
    people = circular_people(targets, today)
    if not people:
        raise errors.NoTarget("ไม่มีผู้รับในหน่วยงานที่เลือก", "Nobody to send to in the chosen units")
    level = SECRECY_LEVEL[Secrecy(letter.secrecy)]
    if level and any(p.clearance < level for p in people):
        raise errors.RecipientNotCleared()
    batch = uuid.uuid4()
    now = clock.now()
    sender = _sender_fields(actor, person, today)
    steps = []
    for p in people:
        pos = own_position(p, today)
        s = Step.objects.create(letter=letter, kind=StepKind.CIRCULAR, status=StepStatus.SENT, batch=batch, **sender,
                                to_person=p, to_label=p.full_name_th + (f" ({pos.title_th})" if pos else ""),
                                instruction=_clean(note), created_at=now, sent_at=now)
        _grant(letter, s)
        s._reach = (p,)  # type: ignore[attr-defined]
        steps.append(s)
    _announce(steps, letter, event="circular", verb_th="หนังสือเวียน")
    text.refresh(letter)
    _audit_letter("routing.circular", actor, letter, batch=str(batch), count=len(steps),
                  people=[str(p.pk) for p in people])
    return steps


@action("routing.remind")
def remind_unread(actor: Any, letter: Letter) -> list[Step]:
    """One click: remind everyone who has not yet opened a circular (or any step) of this letter."""
    letter = fresh_letter(actor, letter)
    person = person_of(actor)
    p = principal_for(actor)
    unread = [s for s in Step.objects.filter(letter=letter, status=StepStatus.SENT, opened_at__isnull=True)
              .select_related("to_person")
              if s.sender_id == person.pk
              or (s.from_unit_id and registry_policy.can_register_in(p, s.from_unit_id, "normal"))]
    if not unread:
        raise errors.WrongState("ทุกคนเปิดอ่านแล้ว ไม่มีผู้ที่ต้องเตือน", "Everyone has opened it; nobody to remind",
                                code="nothing_to_remind")
    now = clock.now()
    for s in unread:
        notify([s.to_person] if s.to_person else [], event="reminder", letter=letter, step=s,
               title=f"เตือน: ยังไม่ได้เปิดอ่าน {letter.subject}"[:500], body=f"จาก {person.full_name_th}",
               url=f"/letters/{letter.pk}/")
    Step.objects.filter(pk__in=[s.pk for s in unread]).update(reminded_at=now)
    _audit_letter("routing.remind", actor, letter, steps=[str(s.pk) for s in unread])
    return unread


# ---- administration: holidays, route templates ---------------------------------------------------

def _admin(actor: Any, unit_id: Any = None) -> None:
    if not policy.can_admin_routing(principal_for(actor), unit_id):
        raise errors.NotAllowed("เฉพาะผู้ดูแลระบบของหน่วยงาน", "Agency administrators only")


@action("routing.holiday_add")
def add_holiday(actor: Any, day: dt.date, name_th: str, *, name_en: str = "", kind: str = Holiday.Kind.LOCAL,
                source: str = "") -> Holiday:
    _admin(actor)
    name_th = _clean(name_th, 255)
    if not name_th:
        raise errors.EmptyText("ต้องระบุชื่อวันหยุด", "The holiday's name is required")
    if kind not in Holiday.Kind.values:
        raise errors.InvalidDue("ประเภทวันหยุดไม่ถูกต้อง", "Unknown holiday kind", code="invalid_kind")
    if Holiday.objects.filter(day=day).exists():
        raise errors.HolidayExists(details={"day": day.isoformat()})
    h = Holiday.objects.create(day=day, name_th=name_th, name_en=_clean(name_en, 255), kind=kind, source=source[:500])
    audit.record("routing.holiday_add", actor=actor, obj=h, data={"day": day.isoformat(), "name": name_th,
                                                                   "kind": kind})
    return h


@action("routing.holiday_remove")
def remove_holiday(actor: Any, day: dt.date) -> None:
    _admin(actor)
    h = Holiday.objects.filter(day=day).first()
    if h is None:
        raise errors.UnknownTarget("ไม่มีวันหยุดในวันนี้", "No holiday on this day", code="holiday_not_found",
                                   status=404)
    data = {"day": day.isoformat(), "name": h.name_th, "kind": h.kind}
    h.delete()
    audit.record("routing.holiday_remove", actor=actor, object_type="routing.holiday", object_id=day.isoformat(),
                 data=data)


@action("routing.holidays_load")
def load_holidays(actor: Any, data: dict[str, Any]) -> int:
    """Load a year's list from the shipped data format (adds missing days, keeps the administrator's)."""
    if actor is not None:
        _admin(actor)
    added = 0
    for h in data.get("holiday", []):
        _, created = Holiday.objects.get_or_create(day=h["day"], defaults={
            "name_th": h["name_th"], "name_en": h.get("name_en", ""), "kind": h.get("kind", "official"),
            "source": data.get("source", "")[:500]})
        added += int(created)
    audit.record("routing.holidays_load", actor=actor, object_type="routing.holiday",
                 object_id=str(data.get("year_be", "")), data={"added": added})
    return added


@action("routing.template_save")
def save_template(actor: Any, unit: Unit, name: str, steps: Sequence[dict[str, Any]], *,
                  kind: str = "") -> RouteTemplate:
    """A route template: ``steps`` are ``{"unit"|"position"|"person": ..., "kind", "instruction",
    "working_days"}`` in order.  Saving a template of the same unit, kind and name retires the old one."""
    _admin(actor, unit.pk)
    name = _clean(name, 255)
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
            to_person=r.person if r and r.unit is None else None, instruction=_clean(s.get("instruction", ""), 500),
            working_days=s.get("working_days"))
    audit.record("routing.template_save", actor=actor, obj=t, data={"unit": unit.code, "kind": kind, "name": name,
                                                                     "steps": len(steps)})
    return t


@action("routing.template_retire")
def retire_template(actor: Any, template: RouteTemplate) -> RouteTemplate:
    _admin(actor, template.unit_id)
    RouteTemplate.objects.filter(pk=template.pk).update(active=False)
    audit.record("routing.template_retire", actor=actor, obj=template, data={"name": template.name})
    template.active = False
    return template


# ---- notifications -------------------------------------------------------------------------------

@action("routing.preferences")
def set_preferences(actor: Any, *, email: bool, line: bool, line_user_id: str = "", mode: str = "each",
                    digest_hour: int = 7) -> NotifyPreference:
    person = person_of(actor)
    if mode not in NotifyPreference.Mode.values:
        raise errors.InvalidDue("รูปแบบการแจ้งเตือนไม่ถูกต้อง", "Unknown notification mode", code="invalid_mode")
    if not 0 <= digest_hour <= 23:
        raise errors.InvalidDue("ชั่วโมงต้องอยู่ระหว่าง 0–23", "The hour must be 0–23", code="invalid_hour")
    line_user_id = (line_user_id or "").strip()
    if line and not line_user_id:
        raise errors.EmptyText("ต้องระบุ LINE user ID เพื่อรับแจ้งเตือนทาง LINE",
                               "A LINE user ID is needed for LINE notifications", code="line_id_required")
    if email and not person.email:
        raise errors.EmptyText("ยังไม่มีอีเมลในข้อมูลบุคลากร", "Your person record has no e-mail address",
                               code="email_missing")
    pref, _ = NotifyPreference.objects.update_or_create(person=person, defaults={
        "email": email, "line": line, "line_user_id": line_user_id[:64], "mode": mode, "digest_hour": digest_hour})
    audit.record("routing.preferences", actor=actor, obj=pref, data={"email": email, "line": line, "mode": mode,
                                                                      "digest_hour": digest_hour})
    return pref


@action("routing.notifications_read")
def mark_read(actor: Any, ids: Sequence[Any] | None = None) -> int:
    person = person_of(actor)
    qs = Notification.objects.filter(person=person, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=[str(i) for i in ids])
    n = qs.update(read_at=clock.now())
    audit.record("routing.notifications_read", actor=actor, object_type="orgs.person", object_id=str(person.pk),
                 data={"count": n})
    return n


@action("routing.digest")
def send_digest(person: Person) -> int:
    """Gather a digest person's unsent notices into one e-mail/LINE message (run daily by the worker)."""
    from .notify.service import _outbound, build_digest, digest_due
    from .tasks import deliver

    pref = NotifyPreference.objects.select_for_update().filter(person=person).first()
    if pref is None or pref.mode != NotifyPreference.Mode.DIGEST or not digest_due(pref, clock.now()):
        raise errors.DigestNotDue()
    items = list(Notification.objects.filter(person=person, digested_at__isnull=True).order_by("created_at"))
    pref.last_digest_on = clock.to_bkk(clock.now()).date()
    pref.save(update_fields=["last_digest_on"])
    if items:
        title, body = build_digest(person, items)
        for ob in _outbound(person, pref, title, body, None):
            ob.save()
            enqueue(deliver, str(ob.pk))
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(digested_at=clock.now())
    audit.record("routing.digest", actor=None, obj=person, data={"count": len(items)})
    return len(items)


# ---- a receiving sub-unit's own registration -----------------------------------------------------

@action("registry.register_copy")
def register_received_copy(actor: Any, letter: Letter, unit: Unit) -> RegisterEntry:
    """A receiving sub-unit registers a letter routed to it in its own receiving book (§7.1 step 6, R28).

    Same columns as the central registration, the sub-unit's own gapless number, the same letter (one
    letter, several registrations): one click on the letter page.  The registry writes the row
    (:func:`saraban.registry.entries.register_copy`); routing decides whether it was routed there.
    """
    letter = letter_for(actor, letter.pk)
    if letter.status != LetterStatus.REGISTERED:
        raise errors.LetterCancelled()
    p = principal_for(actor)
    if not registry_policy.can_register_in(p, unit.pk, letter.secrecy):
        raise registry_errors.NotAllowed(f"ท่านไม่มีสิทธิ์ลงทะเบียนรับในทะเบียนของ {unit.name_th}",
                                         f"You may not register letters in the books of {unit.code}")
    if not queries.routed_to(letter, unit):
        raise errors.NotRoutedHere()
    if RegisterEntry.objects.filter(letter=letter, book__unit=unit, cancelled=False).exists():
        raise errors.AlreadyRegistered()
    entry, first = entries.register_copy(actor, letter, unit)
    audit.record("registry.register_copy", actor=actor, obj=entry, data={
        "letter": str(letter.pk), "book": entry.book.kind, "year": entry.book.year_be, "number": entry.number,
        "unit": unit.code, "first": str(first.pk) if first else None,
    })
    return entry
