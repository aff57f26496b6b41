"""Who may see a unit's register books and entries, and who may register in them.

Each rule exists as a check on one object (``can_*``) and, where lists need it, as a filter (``*_q``); the
test suite proves the two agree.  Ordinary books are seen by the unit's registrars, secret registrars,
executives and administrators; the secret books only by its cleared secret registrars (ลับที่สุด
placeholders included).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from saraban.access.clearance import NORMAL_VIEW_ROLES, PLACEHOLDER_LEVEL, allowed_secrecy
from saraban.access.principal import Principal
from saraban.kernel.models import SECRECY_LEVEL, Secrecy
from saraban.orgs.models import Role

from .books import SECRET_BOOKS
from .models import RegisterEntry


def can_view_book(p: Principal, unit_id: object, kind: str) -> bool:
    if p.is_anonymous:
        return False
    if kind in SECRET_BOOKS:
        return p.clearance >= 1 and p.has_role(Role.SECRET_REGISTRAR, unit_id)  # type: ignore[arg-type]
    return any(p.has_role(r, unit_id) for r in NORMAL_VIEW_ROLES)  # type: ignore[arg-type]


def can_view_entry(p: Principal, entry: RegisterEntry) -> bool:
    book = entry.book
    if not can_view_book(p, book.unit_id, book.kind):
        return False
    if book.kind in SECRET_BOOKS and entry.secrecy == Secrecy.TOP_SECRET:
        return p.clearance >= PLACEHOLDER_LEVEL
    return SECRECY_LEVEL[Secrecy(entry.secrecy)] <= p.clearance


def visible_entries_q(p: Principal) -> Q:
    if p.is_anonymous:
        return Q(pk__in=[])
    normal = ~Q(book__kind__in=list(SECRET_BOOKS)) & Q(book__unit_id__in=p.units(*NORMAL_VIEW_ROLES)) & Q(
        secrecy__in=allowed_secrecy(p)
    )
    if p.clearance < 1:
        return normal
    allowed = [*allowed_secrecy(p), Secrecy.TOP_SECRET]  # placeholders: PLACEHOLDER_LEVEL <= clearance
    secret = Q(book__kind__in=list(SECRET_BOOKS)) & Q(book__unit_id__in=p.units(Role.SECRET_REGISTRAR)) & Q(
        secrecy__in=allowed
    )
    return normal | secret


def visible_entries(p: Principal) -> QuerySet[RegisterEntry]:
    return RegisterEntry.objects.filter(visible_entries_q(p))


def can_register_in(p: Principal, unit_id: object, secrecy: str) -> bool:
    """Register an incoming letter or issue an outgoing number in a unit's books."""
    if p.is_anonymous:
        return False
    level = SECRECY_LEVEL[Secrecy(secrecy)]
    if level == 0:
        return p.has_role(Role.REGISTRAR, unit_id) or p.has_role(Role.SECRET_REGISTRAR, unit_id)  # type: ignore[arg-type]
    return p.clearance >= level and p.has_role(Role.SECRET_REGISTRAR, unit_id)  # type: ignore[arg-type]


def can_record_placeholder(p: Principal, unit_id: object) -> bool:
    return p.clearance >= PLACEHOLDER_LEVEL and p.has_role(Role.SECRET_REGISTRAR, unit_id)  # type: ignore[arg-type]


def can_cancel_entry(p: Principal, entry: RegisterEntry) -> bool:
    if not can_view_entry(p, entry):
        return False
    role = Role.SECRET_REGISTRAR if entry.book.kind in SECRET_BOOKS else Role.REGISTRAR
    return p.has_role(role, entry.book.unit_id)
