"""Who may use the exchange between systems (SBX).

A letter's dispatches are seen with the letter (:func:`saraban.letters.policy.can_view_letter`).  Sending
it, recalling it and recording a fallback are for those who may issue numbers in its unit, at its secrecy
level.
"""

from __future__ import annotations

from saraban.access.principal import Principal
from saraban.letters.models import Letter
from saraban.letters.policy import can_view_letter
from saraban.orgs.models import Role
from saraban.registry.policy import can_register_in


def can_dispatch(p: Principal, letter: Letter) -> bool:
    return can_view_letter(p, letter) and can_register_in(p, letter.unit_id, letter.secrecy)


def can_admin_exchange(p: Principal) -> bool:
    """The participant directory and the outbox/inbox screens: administrators."""
    return not p.is_anonymous and (p.is_superuser or bool(p.units(Role.ADMIN)))


def can_view_exchange_dashboard(p: Principal) -> bool:
    """The ministry's linking dashboard: administrators and executives."""
    return not p.is_anonymous and (p.is_superuser or bool(p.units(Role.ADMIN, Role.EXECUTIVE)))
