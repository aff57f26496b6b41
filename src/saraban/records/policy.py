"""Who may keep letters, and who is the head of an agency (records officer / registrar / head)."""

from __future__ import annotations

from saraban.access.principal import principal_for
from saraban.kernel.actor import Viewer
from saraban.orgs.models import Agency, Role, Unit

KEEPER_ROLES = (Role.RECORDS, Role.REGISTRAR, Role.ADMIN)


def _agency_units(agency: Agency) -> set:
    return set(Unit.objects.filter(agency=agency).values_list("id", flat=True))


def is_keeper(user: Viewer, agency: Agency) -> bool:
    """A records officer, registrar or administrator of one of the agency's units."""
    p = principal_for(user)
    return p.is_superuser or bool(p.units(*KEEPER_ROLES) & _agency_units(agency))


def is_head(user: Viewer, agency: Agency) -> bool:
    """The head of the agency: an executive over its top unit(s)."""
    p = principal_for(user)
    tops = set(Unit.objects.filter(agency=agency, parent__isnull=True).values_list("id", flat=True))
    return p.is_superuser or (bool(tops) and tops <= p.units(Role.EXECUTIVE))


def may_see(user: Viewer, agency: Agency) -> bool:
    return is_keeper(user, agency) or is_head(user, agency)


def agencies_for(user: Viewer) -> list[Agency]:
    """Agencies whose records the user keeps or heads (their own first)."""
    p = principal_for(user)
    ids = set(Unit.objects.filter(id__in=p.units(*KEEPER_ROLES, Role.EXECUTIVE)).values_list("agency_id", flat=True))
    if p.agency_id:
        ids.add(p.agency_id)
    return [a for a in Agency.objects.filter(id__in=ids).order_by("sort_order", "code") if may_see(user, a)]
