"""What routing adds to the web UI: letter-page panels and top-bar links (registered in the area's ``ready``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from saraban.access.principal import principal_for
from saraban.kernel import clock
from saraban.kernel.actor import signed_in
from saraban.letters.models import Letter, LetterStatus
from saraban.letters.queries import best_view_file
from saraban.orgs.models import Person, Position, Role, Unit
from saraban.routing import actions, policy, queries
from saraban.routing.resolve import own_position
from saraban.transport import once
from saraban.web import panels
from saraban.web.letters.pages import page_numbers

QUICK_PHRASES = [("ทราบ", "Noted"), ("อนุมัติ", "Approved"), ("ทราบ แจ้งเวียน", "Noted; circulate")]
ASSIGN_PHRASE = "มอบ … ดำเนินการ"


def register() -> None:
    panels.letter_panel("routing/_act.html", context=act_panel, column="main", order=5)
    panels.letter_panel("routing/_route.html", context=route_panel, column="main", order=40)
    panels.nav_link("inbox", "งานของฉัน", "My work", "/inbox/", order=5,
                    count=lambda r: queries.my_work_count(signed_in(r)))
    panels.nav_link("holidays", "ปฏิทินวันหยุด", "Holidays", "/routing/holidays/", order=60)
    panels.nav_link("templates", "เส้นทางหนังสือ", "Route templates", "/routing/templates/", order=61,
                    visible=lambda r: policy.can_admin_routing(principal_for(r.user)))
    panels.nav_link("notify", "การแจ้งเตือน", "Notifications", "/routing/settings/", order=62)


def assign_candidates(person: Person) -> list[Person]:
    """People the actor may hand work to in one tap: those of their own unit and the units below it."""
    pos = own_position(person, clock.today())
    unit = pos.unit if pos else person.home_unit
    return list(Person.objects.filter(home_unit__path__startswith=unit.path, user__isnull=False)
                .exclude(pk=person.pk).order_by("first_name_th")[:12])


def target_choices(letter: Letter | None, agency_id: Any = None) -> dict[str, list[tuple[str, str]]]:
    units = Unit.objects.all().order_by("path")
    if letter is not None or agency_id is not None:
        units = units.filter(agency_id=letter.agency_id if letter is not None else agency_id)
    heads = Position.objects.filter(is_head=True, unit__in=units).select_related("unit").order_by("unit__path")
    people = Person.objects.filter(home_unit__in=units, user__isnull=False).order_by("first_name_th")
    return {
        "units": [(f"unit:{u.code}", u.short_name_th or u.name_th) for u in units],
        "positions": [(f"position:{p.code}", p.title_th) for p in heads],
        "people": [(f"person:{p.pk}", p.full_name_th) for p in people],
    }


def act_panel(request: HttpRequest, letter: Letter) -> dict[str, Any] | None:
    """At the top of the letter: the reader's own work on it — and, on a phone, the letter and quick actions."""
    person = queries.person_for(request.user)
    if person is None or letter.status == LetterStatus.OUTSIDE:
        return None
    if actions.unopened_for(request.user, letter):
        actions.open_steps(request.user, letter)  # opened (seen) is recorded apart from acted on
    mine = queries.my_open_steps(request.user, letter)
    p = principal_for(request.user)
    can_endorse = (person.identity_verified and letter.status == LetterStatus.REGISTERED
                   and policy.can_endorse_letter(p, letter, on_route=bool(mine)))
    view = best_view_file(letter)
    return {
        "letter": letter, "mine": mine, "can_endorse": can_endorse, "phrases": QUICK_PHRASES,
        "assign_phrase": ASSIGN_PHRASE, "candidates": assign_candidates(person) if can_endorse else [],
        "view": view, "pages": page_numbers(view), "today": clock.today(),
        "token": once.new_token(request), "cancelled": letter.status == LetterStatus.CANCELLED,
    }


def route_panel(request: HttpRequest, letter: Letter) -> dict[str, Any] | None:
    person = queries.person_for(request.user)
    if letter.status == LetterStatus.OUTSIDE:
        return None
    p = principal_for(request.user)
    mine = queries.my_open_steps(request.user, letter)
    can_route = (person is not None and letter.status == LetterStatus.REGISTERED
                 and policy.can_route_letter(p, letter, on_route=bool(mine)))
    steps = list(queries.steps_of(letter))
    return {
        "letter": letter, "steps": [s for s in steps if s.kind != "circular"],
        "endorsements": list(queries.endorsements_of(letter)), "circular": queries.circular_state(letter),
        "can_route": can_route, "choices": target_choices(letter) if can_route else None,
        "templates": queries.templates_for(letter) if can_route else [],
        "copy_units": queries.copy_units(request.user, letter) if person else [],
        "me": person, "today": clock.today(), "token": once.new_token(request),
        "is_registrar": bool(p.units(Role.REGISTRAR, Role.SECRET_REGISTRAR)),
    }
