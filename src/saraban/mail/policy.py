"""Who may handle an agency's central mailbox.

Reading its mail, releasing or setting aside quarantined mail and replying with the receipt number: those
who register incoming letters in the agency's central unit.  Its settings (server, password, limits):
the agency's administrators.  Mail marked classified is never shown to anyone.
"""

from __future__ import annotations

from django.db.models import Q

from saraban.access.principal import Principal, principal_for
from saraban.exchange.local import central_unit
from saraban.kernel.actor import Actor
from saraban.orgs.models import Agency, Role, Unit
from saraban.registry.policy import can_register_in

from .errors import NotMailOfficer


def can_handle(p: Principal, agency: Agency) -> bool:
    if p.is_anonymous:
        return False
    if p.is_superuser:
        return True
    try:
        unit = central_unit(agency)
    except LookupError:
        return False
    return can_register_in(p, unit.pk, "normal")


def can_configure(p: Principal, agency: Agency) -> bool:
    if p.is_anonymous:
        return False
    if p.is_superuser:
        return True
    admin_units = p.units(Role.ADMIN)
    return Unit.objects.filter(agency=agency, pk__in=admin_units).exists()


def agencies_handled(p: Principal) -> list[Agency]:
    """The agencies whose mailbox the caller handles (for lists)."""
    if p.is_anonymous:
        return []
    if p.is_superuser:
        return list(Agency.objects.filter(hosted=True))
    units = p.units(Role.REGISTRAR, Role.SECRET_REGISTRAR, Role.ADMIN)
    ids = set(Unit.objects.filter(pk__in=units).values_list("agency_id", flat=True))
    return [a for a in Agency.objects.filter(pk__in=ids) if can_handle(p, a) or can_configure(p, a)]


def visible_q(p: Principal) -> Q:
    return Q(agency__in=[a for a in agencies_handled(p) if can_handle(p, a)])


def require_officer(actor: Actor, agency: Agency) -> None:
    if actor is not None and not can_handle(principal_for(actor), agency):
        raise NotMailOfficer()


def require_admin(actor: Actor, agency: Agency) -> None:
    if actor is not None and not can_configure(principal_for(actor), agency):
        raise NotMailOfficer("ท่านไม่มีสิทธิ์ตั้งค่ากล่องจดหมายของหน่วยงานนี้",
                             "You may not configure this agency's mailbox")
