"""Who is asking: a user's person, clearance and the units each of their roles reaches."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from saraban.orgs.models import Person, Role, RoleGrant, Unit

STAFF_ROLES = frozenset({Role.REGISTRAR, Role.SECRET_REGISTRAR, Role.ADMIN, Role.EXECUTIVE, Role.RECORDS})


@dataclass(frozen=True)
class Principal:
    user_id: int | None
    person_id: uuid.UUID | None
    clearance: int
    home_unit_id: uuid.UUID | None
    agency_id: uuid.UUID | None
    is_superuser: bool = False
    units_by_role: dict[str, frozenset[uuid.UUID]] = field(default_factory=dict)
    member_unit_ids: frozenset[uuid.UUID] = frozenset()

    def units(self, *roles: str) -> frozenset[uuid.UUID]:
        out: set[uuid.UUID] = set()
        for role in roles:
            out |= self.units_by_role.get(role, frozenset())
        return frozenset(out)

    def has_role(self, role: str, unit_id: uuid.UUID | None) -> bool:
        return unit_id is not None and unit_id in self.units_by_role.get(role, frozenset())

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None


ANONYMOUS = Principal(user_id=None, person_id=None, clearance=0, home_unit_id=None, agency_id=None)


def principal_for(user: Any) -> Principal:
    """Build (and cache on the user object) the principal for a Django user."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_saraban_principal", None)
    if cached is not None:
        return cached
    person = Person.objects.filter(user_id=user.pk).select_related("home_unit").first()
    if person is None:
        principal = Principal(user_id=user.pk, person_id=None, clearance=0, home_unit_id=None, agency_id=None,
                              is_superuser=user.is_superuser)
    else:
        grants = list(RoleGrant.objects.filter(person=person).select_related("unit"))
        by_role: dict[str, set[uuid.UUID]] = {}
        subtree_paths = [(g.role, g.unit.path) for g in grants if g.include_subunits]
        for g in grants:
            by_role.setdefault(g.role, set()).add(g.unit_id)
        if subtree_paths:
            units = Unit.objects.values_list("id", "path")
            for unit_id, path in units:
                for role, prefix in subtree_paths:
                    if path.startswith(prefix):
                        by_role.setdefault(role, set()).add(unit_id)
        principal = Principal(
            user_id=user.pk,
            person_id=person.pk,
            clearance=person.clearance,
            home_unit_id=person.home_unit_id,
            agency_id=person.home_unit.agency_id,
            is_superuser=user.is_superuser,
            units_by_role={k: frozenset(v) for k, v in by_role.items()},
            member_unit_ids=frozenset({person.home_unit_id, *(g.unit_id for g in grants)}),
        )
    user._saraban_principal = principal
    return principal
