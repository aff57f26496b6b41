from __future__ import annotations

from django.db.models import Q

from saraban.kernel.actor import Viewer
from saraban.kernel.thai import normalize

from .models import Person, Unit


def unit_by_code(code: str) -> Unit | None:
    """Find a unit by its code (``ops-central``) or its letter code and number (``ดศ 0201``)."""
    code = code.strip()
    unit = Unit.objects.select_related("agency").filter(code=code).first()
    if unit is not None:
        return unit
    norm = normalize(code)
    parts = norm.split(" ", 1)
    if len(parts) == 2:
        letter_code, number = parts
        for candidate in Unit.objects.select_related("agency").filter(unit_number=number):
            if normalize(candidate.effective_letter_code) == letter_code:
                return candidate
    return None


def person_for_user(user: Viewer) -> Person | None:
    return Person.objects.select_related("home_unit", "home_unit__agency").filter(user=user).first()


def subtree(unit: Unit) -> Q:
    return Q(path__startswith=unit.path)
