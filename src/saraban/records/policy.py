"""Who may keep, lend, approve, see loans and re-grade; and the access a running electronic loan grants.

- Keeping: records officers, registrars and administrators of one of the agency's units; the head of the
  agency is an executive over its top unit(s).

- An electronic loan is a *grant source* of the letter rules (:func:`saraban.letters.policy.add_grant_source`,
  registered in ``ready``): its borrower sees the letter from ``lent_at`` until ``due_at`` (exclusive) or its
  return, whichever comes first — no job needs to run for it to end.  Like every grant, it counts for a
  classified letter only within the borrower's clearance.
- Lending: the letter's registering unit's records officers and registrars (secret registrars for ลับ /
  ลับมาก), among those who may see it.
- Approving a loan to another agency or an outsider (R45): a division head or higher of the lending agency —
  someone holding, or acting in, the head position of a unit at most two levels deep in the agency's tree
  (the agency itself, or a กอง directly under it).
- Re-grading: the registering unit's secret registrar, cleared for both the old and the new class.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import Exists, OuterRef, Q

from saraban.access.principal import Principal, principal_for
from saraban.kernel import clock
from saraban.kernel.actor import Viewer
from saraban.kernel.models import SECRECY_LEVEL, Secrecy
from saraban.letters.models import Letter, LetterStatus
from saraban.letters.policy import GrantSource, can_view_letter
from saraban.orgs.models import Agency, Person, PositionHolding, Role, Unit

from .models import Loan, LoanMedium

LEND_ROLES = (Role.RECORDS, Role.REGISTRAR, Role.SECRET_REGISTRAR)
LOAN_VIEW_ROLES = (Role.RECORDS, Role.REGISTRAR, Role.SECRET_REGISTRAR, Role.EXECUTIVE, Role.ADMIN)
DIVISION_DEPTH = 2  # the agency's own top unit is 1, a กอง directly under it is 2


def _running(p: Principal, now: dt.datetime) -> Q:
    return Q(medium=LoanMedium.ELECTRONIC, borrower_id=p.person_id, returned_at__isnull=True, lent_at__lte=now,
             due_at__gt=now)


def loaned_q(p: Principal) -> Exists | None:
    """Letters ``p`` borrows electronically right now (a filter on letters)."""
    if not p.person_id:
        return None
    return Exists(Loan.objects.filter(_running(p, clock.now()), letter=OuterRef("pk")))


def loaned(p: Principal, letter: Letter) -> bool:
    """The same as :func:`loaned_q`, for one letter."""
    return bool(p.person_id) and Loan.objects.filter(_running(p, clock.now()), letter=letter).exists()


LOAN_GRANT = GrantSource("records.loan", q=loaned_q, check=loaned)


def can_lend(p: Principal, letter: Letter) -> bool:
    if p.is_anonymous or letter.status == LetterStatus.OUTSIDE or not can_view_letter(p, letter):
        return False
    if letter.is_classified:
        return p.has_role(Role.SECRET_REGISTRAR, letter.unit_id)
    return any(p.has_role(r, letter.unit_id) for r in LEND_ROLES)


def can_view_loan(p: Principal, loan: Loan) -> bool:
    if p.is_anonymous:
        return False
    if loan.borrower_id is not None and loan.borrower_id == p.person_id:
        return True
    return any(p.has_role(r, loan.letter.unit_id) for r in LOAN_VIEW_ROLES)


def visible_loans_q(p: Principal) -> Q:
    if p.is_anonymous:
        return Q(pk__in=[])
    q = Q(letter__unit_id__in=p.units(*LOAN_VIEW_ROLES))
    if p.person_id:
        q |= Q(borrower_id=p.person_id)
    return q


def unit_depth(unit: Unit) -> int:
    """How deep ``unit`` sits in its agency's tree (the agency's top unit is 1)."""
    depth, node = 1, unit
    while node.parent_id is not None and node.parent is not None and node.parent.agency_id == unit.agency_id:
        depth += 1
        node = node.parent
    return depth


def division_head_position(person: Person, agency_id: uuid.UUID, day: dt.date) -> str:
    """The title of the head position (division level or higher, in ``agency_id``) that ``person`` holds or
    acts in on ``day``; empty when there is none."""
    holdings = (PositionHolding.objects.filter(person=person, start__lte=day, position__is_head=True,
                                               position__unit__agency_id=agency_id)
                .filter(Q(end__isnull=True) | Q(end__gte=day)).select_related("position__unit__parent"))
    for h in sorted(holdings, key=lambda h: unit_depth(h.position.unit)):
        if unit_depth(h.position.unit) <= DIVISION_DEPTH:
            acting = " (รักษาการแทน)" if h.kind == PositionHolding.Kind.ACTING else ""
            return h.position.title_th + acting
    return ""


def can_regrade(p: Principal, letter: Letter, to_secrecy: str) -> bool:
    if p.is_anonymous or letter.status == LetterStatus.OUTSIDE:
        return False
    needed = max(SECRECY_LEVEL[Secrecy(letter.secrecy)], SECRECY_LEVEL[Secrecy(to_secrecy)])
    return p.clearance >= max(needed, 1) and p.has_role(Role.SECRET_REGISTRAR, letter.unit_id)


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
