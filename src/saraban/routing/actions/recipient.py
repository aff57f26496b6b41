"""The recipient's side of a step: opened (seen) apart from acted on — acknowledged, done or sent back —
and the sender's recall before it was opened."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from saraban.access.principal import principal_for
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.letters import enclosures, records
from saraban.letters.enclosures import Upload
from saraban.letters.models import FileRole, Letter
from saraban.orgs.models import Person
from saraban.registry import policy as registry_policy
from saraban.storage import blobs

from .. import errors, text
from ..models import OPEN_STATUSES, Notification, ReportFile, Step, StepStatus
from ..notify.service import notify
from ..resolve import acts_for, is_recipient
from .common import audit_letter, clean, fresh_letter, not_cancelled, person_of, step_of
from .steps import release_next, touch_own_steps


def unopened_for(actor: Actor, letter: Letter) -> list[Step]:
    person = Person.objects.filter(user_id=getattr(actor, "pk", None)).first()
    if person is None:
        return []
    today = clock.today()
    return [s for s in Step.objects.filter(letter=letter, status=StepStatus.SENT) if is_recipient(person.pk, s, today)]


@action("routing.open")
def open_steps(actor: Actor, letter: Letter) -> list[Step]:
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
    audit_letter("routing.open", actor, letter, steps=[str(s.pk) for s in steps])
    return steps


def _recipient_step(actor: Actor, letter: Letter, step_id: Any) -> tuple[Letter, Person, Step]:
    letter = fresh_letter(actor, letter)
    step = step_of(letter, step_id)
    person = person_of(actor)
    if not is_recipient(person.pk, step, clock.today()):
        raise errors.NotRecipient()
    return letter, person, step


@action("routing.acknowledge")
def acknowledge(actor: Actor, letter: Letter, step_id: Any, *, note: str = "") -> Step:
    letter, person, step = _recipient_step(actor, letter, step_id)
    not_cancelled(letter)
    if step.status not in (StepStatus.SENT, StepStatus.OPENED):
        raise errors.WrongState(details={"status": step.status})
    touch_own_steps(person, letter, only=step)
    if note:
        Step.objects.filter(pk=step.pk).update(result=clean(note))
    if step.sender_id:
        notify([step.sender], event="acknowledged", letter=letter, step=step,
               title=f"รับทราบแล้ว: {letter.subject}"[:500], body=f"{person.full_name_th} รับทราบ",
               url=f"/letters/{letter.pk}/")
    text.refresh(letter)
    audit_letter("routing.acknowledge", actor, letter, step=str(step.pk), acting=step.acted_acting)
    return step


@action("routing.done")
def report_done(actor: Actor, letter: Letter, step_id: Any, *, result: str = "",
                files: Sequence[Upload] = ()) -> Step:
    """The recipient reports the step done: ``result`` says what was done, ``files`` (enclosures of the
    report, in order: a reply's copy, a spreadsheet, photos) go with it."""
    letter, person, step = _recipient_step(actor, letter, step_id)
    not_cancelled(letter)
    if step.status not in OPEN_STATUSES:
        raise errors.WrongState(details={"status": step.status})
    _, parts = enclosures.prepare_all(None, list(files), classified=letter.is_classified)
    now = clock.now()
    acting = acts_for(person, step.to_position_id, clock.today()) is not None
    step.status, step.done_at, step.acted_by, step.acted_acting = StepStatus.DONE, now, person, acting
    step.opened_at = step.opened_at or now
    step.opened_by = step.opened_by or person
    step.acknowledged_at = step.acknowledged_at or now
    step.result = clean(result)
    step.save(update_fields=["status", "done_at", "acted_by", "acted_acting", "opened_at", "opened_by",
                             "acknowledged_at", "result"])
    kept = store_report_files(step, person, parts)
    release_next(step)
    if step.sender_id:
        notify([step.sender], event="done", letter=letter, step=step, title=f"ดำเนินการแล้ว: {letter.subject}"[:500],
               body=f"{person.full_name_th}: {step.result}".strip(": "), url=f"/letters/{letter.pk}/")
    text.refresh(letter)
    audit_letter("routing.done", actor, letter, step=str(step.pk), result=step.result, acting=acting,
                 files=[f.blob.sha256 for f in kept])
    return step


def store_report_files(step: Step, person: Person | None, parts: Sequence[Upload]) -> list[ReportFile]:
    """Keep a completion report's checked, staged files after those already there.  Call it inside an action."""
    start = ReportFile.objects.filter(step=step).count()
    now = clock.now()
    return [ReportFile.objects.create(step=step, role=FileRole.ENCLOSURE, name=p.name, title=p.title,
                                      order=start + i, pages=p.pages, blob=blobs.record(p.staged), added_by=person,
                                      added_at=now)
            for i, p in enumerate(parts, start=1) if p.staged is not None]


def report_files(step: Step) -> list[ReportFile]:
    """A completion report's files, in order."""
    return list(ReportFile.objects.filter(step=step).select_related("blob").order_by("order"))


@action("routing.return")
def return_step(actor: Actor, letter: Letter, step_id: Any, *, reason: str) -> Step:
    """The recipient sends it back (not theirs, or cannot act) with a reason (R33)."""
    letter, person, step = _recipient_step(actor, letter, step_id)
    reason = clean(reason, 1000)
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
    audit_letter("routing.return", actor, letter, step=str(step.pk), reason=reason)
    return step


@action("routing.recall")
def recall(actor: Actor, letter: Letter, step_id: Any) -> Step:
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
    audit_letter("routing.recall", actor, letter, step=str(step.pk), to=step.to_label)
    return step
