"""/api/v1/me and /api/v1/units: who am I, and the units I can name."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from saraban.access.principal import principal_for
from saraban.api.auth import caller
from saraban.orgs.models import RoleGrant, Unit
from saraban.orgs.queries import person_for_user

from ..schemas import Error, MeOut, UnitOut

router = Router(tags=["me"])
ERRORS = {401: Error}


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Who I am: name, home unit, clearance and roles")
def me(request: HttpRequest):
    user = caller(request)
    person = person_for_user(user)
    p = principal_for(user)
    return {
        "username": user.get_username(),
        "name": person.full_name_th if person else user.get_username(),
        "unit": person.home_unit.code if person else None,
        "unit_name": person.home_unit.name_th if person else None,
        "clearance": p.clearance,
        "roles": [{"role": g.role, "unit": g.unit.code}
                  for g in RoleGrant.objects.filter(person=person).select_related("unit")] if person else [],
    }


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="Every unit, with its agency and parent")
def units(request: HttpRequest):
    return [
        {"code": u.code, "name": u.name_th, "agency": u.agency.code,
         "ref_prefix": u.ref_prefix if u.unit_number else "",
         "issues_numbers": u.issues_numbers, "parent": u.parent.code if u.parent else None}
        for u in Unit.objects.select_related("agency", "parent")
    ]
