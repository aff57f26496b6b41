"""Who may change an agency's organisation settings (emblems, delegating orders)."""

from __future__ import annotations

from typing import Any

from .models import Agency, Person, Role, RoleGrant


def can_manage(user: Any, agency: Agency) -> bool:
    """Superusers, and administrators of a unit of ``agency`` or of an agency above it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    person = Person.objects.filter(user=user).first()
    if person is None:
        return False
    agencies = set()
    current: Agency | None = agency
    while current is not None:
        agencies.add(current.pk)
        current = current.parent
    return RoleGrant.objects.filter(person=person, role=Role.ADMIN, unit__agency_id__in=agencies).exists()


def manageable_agencies(user: Any) -> list[Agency]:
    """The agencies whose settings ``user`` may change."""
    return [a for a in Agency.objects.filter(hosted=True).select_related("parent") if can_manage(user, a)]
