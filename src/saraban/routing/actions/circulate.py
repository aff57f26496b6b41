"""Circulars (แจ้งเวียน): one letter to many, a copy per person with its own read state; and reminders
to those who have not opened it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from saraban.access.principal import principal_for
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.models import SECRECY_LEVEL, Secrecy
from saraban.letters.models import Letter
from saraban.orgs.models import Person
from saraban.registry import policy as registry_policy

from .. import errors, text
from ..models import Step, StepKind, StepStatus
from ..notify.service import notify
from ..resolve import Target, own_position, resolve
from .common import audit_letter, clean, fresh_letter, person_of, routing_start
from .steps import announce, grant_step, sender_fields


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
def send_circular(actor: Actor, letter: Letter, targets: Sequence[Target], *, note: str = "") -> list[Step]:
    """One letter to many: a copy per person (the list is fixed when sent), each with its own read state."""
    letter, person, _ = routing_start(actor, letter, "ท่านไม่มีสิทธิ์แจ้งเวียนหนังสือนี้",
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
    sender = sender_fields(actor, person, today)
    steps = []
    for p in people:
        pos = own_position(p, today)
        s = Step.objects.create(letter=letter, kind=StepKind.CIRCULAR, status=StepStatus.SENT, batch=batch, **sender,
                                to_person=p, to_label=p.full_name_th + (f" ({pos.title_th})" if pos else ""),
                                instruction=clean(note), created_at=now, sent_at=now)
        grant_step(letter, s)
        s._reach = (p,)  # type: ignore[attr-defined]
        steps.append(s)
    announce(steps, letter, event="circular", verb_th="หนังสือเวียน")
    text.refresh(letter)
    audit_letter("routing.circular", actor, letter, batch=str(batch), count=len(steps),
                 people=[str(p.pk) for p in people])
    return steps


@action("routing.remind")
def remind_unread(actor: Actor, letter: Letter) -> list[Step]:
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
    audit_letter("routing.remind", actor, letter, steps=[str(s.pk) for s in unread])
    return unread
