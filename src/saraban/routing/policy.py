"""Who may route, endorse and administer routing; and the letters routing gives people to see.

- A letter sent to a *position* is also seen by whoever holds or acts in that position today (a live
  step — not waiting, not recalled), so work follows the position through acting delegations.  This is
  a grant source of the letter rules (:mod:`saraban.letters.policy`), registered in ``ready``.
- Distribute, assign or circulate: the registering unit's registrars and executives, or anyone the letter
  is with now; endorse: also the unit's executives — always within what they may see.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from saraban.access.principal import Principal
from saraban.kernel import clock
from saraban.letters.models import Letter
from saraban.letters.policy import GrantSource, can_view_letter
from saraban.orgs.models import Role

from .models import LIVE_STATUSES, Step
from .resolve import positions_of

ROUTE_ROLES = (Role.REGISTRAR, Role.SECRET_REGISTRAR, Role.EXECUTIVE)


def _positions_today(p: Principal) -> set:
    """Positions the person holds or acts in today (routing by position follows acting delegations)."""
    return positions_of(p.person_id, clock.today())


def routed_to_position_q(p: Principal) -> Exists:
    """Letters with a live step to a position ``p`` holds or acts in today (a filter on letters)."""
    return Exists(Step.objects.filter(letter=OuterRef("pk"), to_position_id__in=_positions_today(p),
                                      status__in=LIVE_STATUSES))


def routed_to_position(p: Principal, letter: Letter) -> bool:
    """The same as :func:`routed_to_position_q`, for one letter."""
    positions = _positions_today(p)
    return bool(positions) and Step.objects.filter(letter=letter, to_position_id__in=positions,
                                                   status__in=LIVE_STATUSES).exists()


POSITION_GRANT = GrantSource("routing.position", q=routed_to_position_q, check=routed_to_position)


def can_route_letter(p: Principal, letter: Letter, *, on_route: bool) -> bool:
    """Distribute, assign or circulate: the registering unit's registrars and executives, or anyone the
    letter is with now (an open step to them) — always within what they may see."""
    if not can_view_letter(p, letter):
        return False
    if on_route:
        return True
    if letter.is_classified:
        return p.has_role(Role.SECRET_REGISTRAR, letter.unit_id)
    return any(p.has_role(r, letter.unit_id) for r in ROUTE_ROLES)


def can_endorse_letter(p: Principal, letter: Letter, *, on_route: bool) -> bool:
    """Endorse (เกษียน): whoever the letter is with, or an executive of the registering unit."""
    if not can_view_letter(p, letter):
        return False
    return on_route or p.has_role(Role.EXECUTIVE, letter.unit_id) or can_route_letter(p, letter, on_route=False)


def can_admin_routing(p: Principal, unit_id: object = None) -> bool:
    """Holiday calendar (agency-wide) and route templates (per unit): administrators."""
    if p.is_anonymous:
        return False
    if p.is_superuser:
        return True
    if unit_id is None:
        return bool(p.units(Role.ADMIN))
    return p.has_role(Role.ADMIN, unit_id)  # type: ignore[arg-type]
