"""Generic pieces of the access rules, shared by every app's ``policy`` module.

Each app keeps the rules for its own objects next to its models (``letters/policy.py``,
``registry/policy.py``, ``intake/policy.py``, ``routing/policy.py``, ``drafting/policy.py``,
``exchange/policy.py``); what they have in common lives here: which secrecy levels a principal is
cleared for, and the roles that see a unit's ordinary letters and books.
"""

from __future__ import annotations

from saraban.kernel.models import SECRECY_LEVEL, Secrecy
from saraban.orgs.models import Role

from .principal import Principal

NORMAL_VIEW_ROLES = (Role.REGISTRAR, Role.SECRET_REGISTRAR, Role.EXECUTIVE, Role.ADMIN)
PLACEHOLDER_LEVEL = 1  # a ลับที่สุด placeholder holds nothing secret, but stays in the secret books


def allowed_secrecy(p: Principal) -> list[str]:
    """The secrecy levels ``p`` is cleared for."""
    return [s for s, lvl in SECRECY_LEVEL.items() if lvl <= p.clearance]


def cleared_for(p: Principal, secrecy: str) -> bool:
    return SECRECY_LEVEL[Secrecy(secrecy)] <= p.clearance
