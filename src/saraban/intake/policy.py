"""Who may see the items waiting in a unit's incoming queue: those who may register them there.

The single-object check and the list filter always agree (tests/access/test_rules_agree.py).
"""

from __future__ import annotations

from django.db.models import Q

from saraban.access.clearance import allowed_secrecy
from saraban.access.principal import Principal
from saraban.kernel.models import Secrecy
from saraban.orgs.models import Role
from saraban.registry.policy import can_register_in


def can_view_intake(p: Principal, unit_id: object, secrecy: str) -> bool:
    """Items waiting in a unit's queue are seen by those who may register them."""
    return can_register_in(p, unit_id, secrecy)


def visible_intake_q(p: Principal) -> Q:
    if p.is_anonymous:
        return Q(pk__in=[])
    normal = Q(secrecy=Secrecy.NORMAL, unit_id__in=p.units(Role.REGISTRAR, Role.SECRET_REGISTRAR))
    classified = [s for s in allowed_secrecy(p) if s != Secrecy.NORMAL]
    return normal | Q(secrecy__in=classified, unit_id__in=p.units(Role.SECRET_REGISTRAR))
