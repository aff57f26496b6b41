"""Who a target is on a given day, and who may act on a step.

Work sent to a *position* goes to whoever acts in it that day (รักษาการแทน) or, if nobody acts, to whoever
holds it; the step records the person and that they were acting.  A *unit* is reached through its head
(holder or acting) and the people granted the registrar, secret registrar or executive role for that unit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Q

from saraban.orgs.models import Person, Position, PositionHolding, Role, RoleGrant, Unit

from . import errors

UNIT_INBOX_ROLES = (Role.REGISTRAR, Role.SECRET_REGISTRAR, Role.EXECUTIVE)


@dataclass(frozen=True)
class Target:
    """What a caller names: exactly one of a unit code, a position code or a person (id or username)."""

    unit: str | None = None
    position: str | None = None
    person: str | None = None

    def __post_init__(self) -> None:
        if sum(1 for v in (self.unit, self.position, self.person) if v) != 1:
            raise errors.UnknownTarget("ระบุผู้รับเป็นหน่วยงาน ตำแหน่ง หรือบุคคลอย่างใดอย่างหนึ่ง",
                                       "Name exactly one of unit, position or person")


@dataclass(frozen=True)
class Resolved:
    unit: Unit | None
    position: Position | None
    person: Person | None
    acting: bool
    label: str
    reach: tuple[Person, ...]  # who is told (and whose inbox it enters)


def agency_of(r: Resolved) -> uuid.UUID | None:
    """The agency a resolved target belongs to (a unit's, a position's unit's, a person's home unit's)."""
    if r.unit is not None:
        return r.unit.agency_id
    if r.position is not None:
        return r.position.unit.agency_id
    return r.person.home_unit.agency_id if r.person is not None else None


def holdings_on(day: dt.date) -> Q:
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))


def occupant(position: Position, day: dt.date) -> tuple[Person | None, bool]:
    """Who does the work of ``position`` on ``day``: the acting officer if there is one, else the holder."""
    holdings = list(PositionHolding.objects.filter(holdings_on(day), position=position).select_related("person")
                    .order_by("kind", "start"))
    acting = [h for h in holdings if h.kind == PositionHolding.Kind.ACTING]
    if acting:
        return acting[-1].person, True
    holders = [h for h in holdings if h.kind == PositionHolding.Kind.HOLDER]
    return (holders[0].person, False) if holders else (None, False)


def positions_of(person_id: uuid.UUID | None, day: dt.date) -> set[uuid.UUID]:
    """Positions a person holds or acts in on ``day``."""
    if person_id is None:
        return set()
    return set(PositionHolding.objects.filter(holdings_on(day), person_id=person_id)
               .values_list("position_id", flat=True))


def own_position(person: Person, day: dt.date) -> Position | None:
    """The position a person signs with: one they hold (a head position first)."""
    h = (PositionHolding.objects.filter(holdings_on(day), person=person, kind=PositionHolding.Kind.HOLDER)
         .select_related("position").order_by("-position__is_head", "start").first())
    return h.position if h else None


def acting_positions(person: Person, day: dt.date) -> list[Position]:
    return [h.position for h in PositionHolding.objects.filter(
        holdings_on(day), person=person, kind=PositionHolding.Kind.ACTING).select_related("position")]


def unit_inbox_units(person_id: uuid.UUID | None, day: dt.date) -> set[uuid.UUID]:
    """Units whose incoming steps reach this person: heads (holding or acting) and role holders of the unit."""
    if person_id is None:
        return set()
    units = set(RoleGrant.objects.filter(person_id=person_id, role__in=UNIT_INBOX_ROLES)
                .values_list("unit_id", flat=True))
    units |= set(PositionHolding.objects.filter(holdings_on(day), person_id=person_id, position__is_head=True)
                 .values_list("position__unit_id", flat=True))
    return units


def unit_heads(unit: Unit, day: dt.date) -> list[Person]:
    heads = []
    for pos in Position.objects.filter(unit=unit, is_head=True):
        who, _ = occupant(pos, day)
        if who is not None:
            heads.append(who)
    return heads


def unit_reach(unit: Unit, day: dt.date) -> list[Person]:
    people: dict[uuid.UUID, Person] = {p.pk: p for p in unit_heads(unit, day)}
    for g in RoleGrant.objects.filter(unit=unit, role__in=UNIT_INBOX_ROLES).select_related("person"):
        people.setdefault(g.person_id, g.person)
    return list(people.values())


def unit_label(unit: Unit) -> str:
    return unit.short_name_th or unit.name_th


def person_by_ref(ref: str) -> Person | None:
    ref = ref.strip()
    try:
        return Person.objects.select_related("home_unit").filter(pk=uuid.UUID(ref)).first()
    except ValueError:
        return Person.objects.select_related("home_unit").filter(user__username=ref).first()


def resolve(target: Target, day: dt.date) -> Resolved:
    if target.unit:
        unit = Unit.objects.filter(Q(code=target.unit) | Q(pk=_uuid_or_none(target.unit))).first()
        if unit is None:
            raise errors.UnknownTarget(details={"unit": target.unit})
        reach = unit_reach(unit, day)
        heads = unit_heads(unit, day)
        label = unit_label(unit) + (f" ({heads[0].full_name_th})" if heads else "")
        return Resolved(unit=unit, position=None, person=None, acting=False, label=label, reach=tuple(reach))
    if target.position:
        position = Position.objects.select_related("unit").filter(
            Q(code=target.position) | Q(pk=_uuid_or_none(target.position))).first()
        if position is None:
            raise errors.UnknownTarget(details={"position": target.position})
        who, acting = occupant(position, day)
        if who is None:
            raise errors.NobodyInPosition(details={"position": position.code})
        label = (f"{who.full_name_th} รักษาการแทน{position.title_th}" if acting
                 else f"{position.title_th} ({who.full_name_th})")
        return Resolved(unit=None, position=position, person=who, acting=acting, label=label, reach=(who,))
    person = person_by_ref(target.person or "")
    if person is None:
        raise errors.UnknownTarget(details={"person": target.person})
    pos = own_position(person, day)
    label = person.full_name_th + (f" ({pos.title_th})" if pos else "")
    return Resolved(unit=None, position=None, person=person, acting=False, label=label, reach=(person,))


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def is_recipient(person_id: uuid.UUID | None, step: object, day: dt.date) -> bool:
    """May this person act on ``step`` (acknowledge, report done, return)?"""
    if person_id is None:
        return False
    s = step  # a Step; typed loosely to keep this module free of the routing models
    if getattr(s, "to_person_id", None) == person_id:
        return True
    if getattr(s, "to_position_id", None) and s.to_position_id in positions_of(person_id, day):  # type: ignore[attr-defined]
        return True
    unit_id = getattr(s, "to_unit_id", None)
    return bool(unit_id and unit_id in unit_inbox_units(person_id, day))


def acts_for(person: Person, position_id: uuid.UUID | None, day: dt.date) -> Position | None:
    """The position ``person`` acts in (not holds) among ``position_id``, if any."""
    if position_id is None:
        return None
    h = PositionHolding.objects.filter(holdings_on(day), person=person, position_id=position_id,
                                       kind=PositionHolding.Kind.ACTING).select_related("position").first()
    return h.position if h else None
