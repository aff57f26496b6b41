"""Who is asking: a user's person, clearance and the units each of their roles reaches."""

from __future__ import annotations

import os
import threading
import time
import uuid
from dataclasses import dataclass, field

from saraban.kernel.actor import Viewer
from saraban.orgs.models import Person, Role, RoleGrant, Unit

STAFF_ROLES = frozenset({Role.REGISTRAR, Role.SECRET_REGISTRAR, Role.ADMIN, Role.EXECUTIVE, Role.RECORDS})
DESK_ROLES = (Role.REGISTRAR, Role.SECRET_REGISTRAR)


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
    desk_unit_id: uuid.UUID | None = None

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

_tree_lock = threading.Lock()
_tree: tuple[float, list[tuple[uuid.UUID, str]]] = (0.0, [])
TREE_TTL = 30.0  # seconds a process trusts its copy of the unit tree (paths only)


def unit_paths() -> list[tuple[uuid.UUID, str]]:
    """(id, path) of every unit, cached briefly: the tree changes rarely and every request needs it."""
    global _tree
    now = time.monotonic()
    with _tree_lock:
        stamp, rows = _tree
        if now - stamp < TREE_TTL and rows:
            return rows
    rows = list(Unit.objects.order_by().values_list("id", "path"))
    with _tree_lock:
        _tree = (now, rows)
    return rows


def forget_unit_tree() -> None:
    global _tree
    with _tree_lock:
        _tree = (0.0, [])
        _principals.clear()


# seconds a process reuses a user's roles and clearance before reading them again
PRINCIPAL_TTL = float(os.environ.get("SARABAN_PRINCIPAL_TTL", "10"))
_principals: dict[int, tuple[float, Principal]] = {}


def forget_principals() -> None:
    with _tree_lock:
        _principals.clear()


def principal_for(user: Viewer) -> Principal:
    """The principal of a Django user: cached on the user object, and per process for ``PRINCIPAL_TTL``.

    A change of roles or clearance made in this process applies at once (the organisation loader and the
    role actions forget the cache); other processes pick it up within the TTL.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_saraban_principal", None)
    if cached is not None:
        return cached
    now = time.monotonic()
    with _tree_lock:
        hit = _principals.get(user.pk)
    if hit is not None and now - hit[0] < PRINCIPAL_TTL and hit[1].is_superuser == user.is_superuser:
        user._saraban_principal = hit[1]
        return hit[1]
    person = Person.objects.filter(user_id=user.pk).select_related("home_unit").order_by().first()
    if person is None:
        principal = Principal(user_id=user.pk, person_id=None, clearance=0, home_unit_id=None, agency_id=None,
                              is_superuser=user.is_superuser)
    else:
        grants = list(RoleGrant.objects.filter(person=person).select_related("unit").order_by("unit__path"))
        by_role: dict[str, set[uuid.UUID]] = {}
        subtree_paths = [(g.role, g.unit.path) for g in grants if g.include_subunits]
        for g in grants:
            by_role.setdefault(g.role, set()).add(g.unit_id)
        if subtree_paths:
            for unit_id, path in unit_paths():
                for role, prefix in subtree_paths:
                    if path.startswith(prefix):
                        by_role.setdefault(role, set()).add(unit_id)
        desk = next((g.unit_id for g in grants if g.role in DESK_ROLES), None)
        principal = Principal(
            user_id=user.pk,
            person_id=person.pk,
            clearance=person.clearance,
            home_unit_id=person.home_unit_id,
            agency_id=person.home_unit.agency_id,
            is_superuser=user.is_superuser,
            units_by_role={k: frozenset(v) for k, v in by_role.items()},
            member_unit_ids=frozenset({person.home_unit_id, *(g.unit_id for g in grants)}),
            desk_unit_id=desk or person.home_unit_id,
        )
    user._saraban_principal = principal
    with _tree_lock:
        _principals[user.pk] = (now, principal)
    return principal
