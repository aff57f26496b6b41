"""Reading routes: my work, a letter's steps and endorsements, circular read state, overdue items, and the
units where a routed letter may be registered again (a sub-unit's own book)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from saraban.access.principal import principal_for
from saraban.kernel import clock
from saraban.kernel.actor import Actor, Viewer
from saraban.kernel.models import URGENCY_RANK, Urgency
from saraban.letters import policy as letters_policy
from saraban.letters.models import Letter, LetterAccess
from saraban.orgs.models import Person, Unit
from saraban.registry import policy as registry_policy
from saraban.registry.models import RegisterEntry

from .models import LIVE_STATUSES, OPEN_STATUSES, Endorsement, Notification, RouteTemplate, Step, StepKind, StepStatus
from .resolve import positions_of, unit_inbox_units


@dataclass
class WorkItem:
    step: Step
    letter: Letter
    overdue: bool
    days_left: int | None

    @property
    def urgency_rank(self) -> int:
        return URGENCY_RANK.get(Urgency(self.letter.urgency), 3)


def person_for(actor: Viewer) -> Person | None:
    return Person.objects.select_related("home_unit").filter(user_id=getattr(actor, "pk", None)).first()


def _to_me_q(person: Person, day: dt.date) -> Q:
    return (Q(to_person=person) | Q(to_position_id__in=positions_of(person.pk, day))
            | Q(to_unit_id__in=unit_inbox_units(person.pk, day), to_person__isnull=True))


def _item(step: Step, today: dt.date) -> WorkItem:
    from .calendar import working_days_between

    overdue = bool(step.due_date and step.due_date < today and step.status in OPEN_STATUSES)
    left = working_days_between(today, step.due_date) if step.due_date and step.status in OPEN_STATUSES else None
    return WorkItem(step=step, letter=step.letter, overdue=overdue, days_left=left)


def _sorted(items: list[WorkItem]) -> list[WorkItem]:
    """By urgency (ด่วนที่สุด first), then due date (soonest first, none last), then time sent."""
    return sorted(items, key=lambda w: (w.urgency_rank, w.step.due_date or dt.date.max,
                                        w.step.sent_at or w.step.created_at))


def acted_q() -> Q:
    """Steps already acted on: acknowledged (รับทราบ), or endorsed, assigned or passed on by their recipient.  An
    assignment acknowledged but not yet reported done is still the assignee's work, unless they passed it on."""
    passed_on = Exists(Step.objects.filter(parent=OuterRef("pk")))
    return Q(status=StepStatus.ACKNOWLEDGED) & (~Q(kind=StepKind.ASSIGN) | Q(passed_on))


def my_work_q(actor: Actor) -> QuerySet[Step] | None:
    """Steps waiting for me (addressed to me as a person, through my positions today, or to a unit I receive
    for) that nobody has acted on yet: an item leaves the list as soon as it was acted on."""
    person = person_for(actor)
    if person is None:
        return None
    p = principal_for(actor)
    return (Step.objects.filter(_to_me_q(person, clock.today()), status__in=OPEN_STATUSES).exclude(acted_q())
            .filter(letter__in=Letter.objects.filter(letters_policy.visible_letters_q(p))))


def my_work(actor: Actor) -> list[WorkItem]:
    """What waits for me, most urgent first."""
    qs = my_work_q(actor)
    if qs is None:
        return []
    today = clock.today()
    qs = qs.select_related("letter", "to_person", "sender", "to_unit", "to_position")
    return _sorted([_item(s, today) for s in qs[:500]])


def my_work_count(actor: Actor) -> int:
    """How many items wait for me (one COUNT query: the badge in the top bar)."""
    qs = my_work_q(actor)
    return 0 if qs is None else qs.count()


def assigned_by_me(actor: Actor) -> list[WorkItem]:
    """What I handed out and is not finished (the assigner follows up; overdue first)."""
    person = person_for(actor)
    if person is None:
        return []
    today = clock.today()
    qs = (Step.objects.filter(sender=person, status__in=OPEN_STATUSES).exclude(kind=StepKind.CIRCULAR)
          .select_related("letter", "to_person", "opened_by"))
    items = [_item(s, today) for s in qs[:500]]
    return sorted(items, key=lambda w: (not w.overdue, w.step.due_date or dt.date.max))


def overdue_for(actor: Actor) -> list[WorkItem]:
    return [w for w in my_work(actor) + assigned_by_me(actor) if w.overdue]


def steps_of(letter: Letter) -> QuerySet[Step]:
    return (Step.objects.filter(letter=letter).select_related("to_person", "to_unit", "to_position", "sender",
                                                              "opened_by", "acted_by")
            .prefetch_related("report_files__blob").order_by("created_at", "order", "id"))  # ids: UUIDv7, in order


def endorsements_of(letter: Letter) -> QuerySet[Endorsement]:
    return Endorsement.objects.filter(letter=letter).select_related("follows").order_by("created_at", "id")


def my_open_steps(actor: Viewer, letter: Letter) -> list[Step]:
    person = person_for(actor)
    if person is None:
        return []
    today = clock.today()
    return list(Step.objects.filter(_to_me_q(person, today), letter=letter, status__in=OPEN_STATUSES)
                .order_by("created_at"))


@dataclass
class CircularState:
    total: int
    read: list[Step]
    unread: list[Step]


def circular_state(letter: Letter) -> CircularState | None:
    steps = list(Step.objects.filter(letter=letter, kind=StepKind.CIRCULAR).select_related("to_person", "opened_by")
                 .order_by("to_label"))
    if not steps:
        return None
    read = [s for s in steps if s.opened_at]
    unread = [s for s in steps if not s.opened_at and s.status != StepStatus.RECALLED]
    return CircularState(total=len(steps), read=read, unread=unread)


def templates_for(letter: Letter) -> list[RouteTemplate]:
    """Active templates of the letter's unit (or an ancestor), for its kind first, then for any kind."""
    units = [letter.unit_id]
    u = letter.unit
    while u.parent_id:
        u = u.parent
        units.append(u.pk)
    qs = (RouteTemplate.objects.filter(active=True, unit_id__in=units).filter(Q(kind=letter.kind) | Q(kind=""))
          .prefetch_related("steps"))
    return sorted(qs, key=lambda t: (t.kind != letter.kind, units.index(t.unit_id), t.name))


def routed_to(letter: Letter, unit: Unit) -> bool:
    """Was the letter sent to this unit, to a position in it, or to a person of it?"""
    steps = Step.objects.filter(letter=letter, status__in=LIVE_STATUSES)
    return (steps.filter(to_unit=unit).exists() or steps.filter(to_position__unit=unit).exists()
            or steps.filter(to_person__home_unit=unit).exists()
            or LetterAccess.objects.filter(letter=letter, unit=unit).exists())


def copy_units(actor: Actor, letter: Letter) -> list[Unit]:
    """Units where this actor may register this letter now (routed there, registrar there, not yet done)."""
    p = principal_for(actor)
    done = set(RegisterEntry.objects.filter(letter=letter, cancelled=False).values_list("book__unit_id", flat=True))
    out = []
    for unit in Unit.objects.filter(pk__in=p.units("registrar", "secret_registrar")).exclude(pk__in=done):
        if (unit.keeps_register and registry_policy.can_register_in(p, unit.pk, letter.secrecy)
                and routed_to(letter, unit)):
            out.append(unit)
    return out


def unread_count(actor: Actor) -> int:
    person = person_for(actor)
    return 0 if person is None else Notification.objects.filter(person=person, read_at__isnull=True).count()


def unread_notifications(actor: Actor, limit: int = 20) -> list[Notification]:
    person = person_for(actor)
    if person is None:
        return []
    return list(Notification.objects.filter(person=person, read_at__isnull=True).select_related("letter")[:limit])
