"""Who may see a letter: the single-object check and the list filter, which always agree.

(tests/access/test_rules_agree.py proves it with generated users and letters.)

- Unclassified letters: registrars, executives, administrators and secret registrars of the registering
  unit (roles reach sub-units unless granted for the unit alone), the person who registered it, and
  anyone or any unit it was given to (distribution, assignment: :class:`LetterAccess`).
- ลับ / ลับมาก: only people cleared for the level, and among them only the secret registrars of the
  registering unit and the people it was given to (need-to-know).
- ลับที่สุด never enters the system; its placeholder rows are seen by the unit's cleared secret
  registrars.
- Other apps may add *grant sources*: further reasons a person was given a letter, each as a list filter
  and a single-object check that agree (:func:`add_grant_source`).  Routing adds one: a letter sent to a
  *position* is also seen by whoever holds or acts in that position today (a live step — not waiting, not
  recalled), so work follows the position through acting delegations.  A grant counts like a
  :class:`LetterAccess` row: for unclassified letters and, within the reader's clearance, classified ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from saraban.access.clearance import NORMAL_VIEW_ROLES, PLACEHOLDER_LEVEL, allowed_secrecy
from saraban.access.principal import Principal
from saraban.kernel.models import SECRECY_LEVEL, Secrecy
from saraban.orgs.models import Role

from .models import Letter, LetterAccess, LetterStatus


@dataclass(frozen=True)
class GrantSource:
    """A further reason a person may see a letter, as a filter and as a check that must agree.

    ``q(p)`` is an expression on :class:`Letter` rows (e.g. ``Exists(...)`` with ``OuterRef("pk")``), or
    ``None`` when it grants ``p`` nothing; ``check(p, letter)`` answers the same for one letter.  Both are
    asked only for principals with a person record.
    """

    name: str
    q: Callable[[Principal], Q | Exists | None]
    check: Callable[[Principal, Letter], bool]


_grant_sources: dict[str, GrantSource] = {}


def add_grant_source(source: GrantSource) -> None:
    """Register (or, under the same name, replace) a grant source; apps call it in ``AppConfig.ready``."""
    _grant_sources[source.name] = source


def grant_sources() -> list[GrantSource]:
    return list(_grant_sources.values())


def _level(secrecy: str, status: str = "") -> int:
    if status == LetterStatus.OUTSIDE:
        return PLACEHOLDER_LEVEL
    return SECRECY_LEVEL[Secrecy(secrecy)]


def _has_grant(p: Principal, letter: Letter) -> bool:
    if not p.person_id:
        return False
    grants = LetterAccess.objects.filter(letter=letter)
    if grants.filter(Q(person_id=p.person_id) | Q(unit_id__in=p.member_unit_ids)).exists():
        return True
    return any(source.check(p, letter) for source in _grant_sources.values())


def _grant_q(p: Principal) -> Q | Exists:
    if not p.person_id:
        return Q(pk__in=[])
    grant: Q | Exists = Exists(
        LetterAccess.objects.filter(letter=OuterRef("pk")).filter(
            Q(person_id=p.person_id) | Q(unit_id__in=p.member_unit_ids)
        )
    )
    for source in _grant_sources.values():
        extra = source.q(p)
        if extra is not None:
            grant = grant | extra
    return grant


def can_view_letter(p: Principal, letter: Letter) -> bool:
    if p.is_anonymous:
        return False
    level = _level(letter.secrecy, letter.status)
    if level > p.clearance:
        return False
    if letter.status == LetterStatus.OUTSIDE:
        return p.has_role(Role.SECRET_REGISTRAR, letter.unit_id)
    if level == 0:
        if any(p.has_role(r, letter.unit_id) for r in NORMAL_VIEW_ROLES):
            return True
        if letter.created_by_id is not None and letter.created_by_id == p.user_id:
            return True
        return _has_grant(p, letter)
    return p.has_role(Role.SECRET_REGISTRAR, letter.unit_id) or _has_grant(p, letter)


def visible_letters_q(p: Principal) -> Q:
    if p.is_anonymous:
        return Q(pk__in=[])
    grant = _grant_q(p)
    normal = Q(secrecy=Secrecy.NORMAL) & ~Q(status=LetterStatus.OUTSIDE) & (
        Q(unit_id__in=p.units(*NORMAL_VIEW_ROLES)) | Q(created_by_id=p.user_id) | grant
    )
    classified = Q(secrecy__in=allowed_secrecy(p)) & ~Q(secrecy=Secrecy.NORMAL) & ~Q(status=LetterStatus.OUTSIDE) & (
        Q(unit_id__in=p.units(Role.SECRET_REGISTRAR)) | grant
    )
    q = normal | classified
    if p.clearance >= PLACEHOLDER_LEVEL:
        q |= Q(status=LetterStatus.OUTSIDE, unit_id__in=p.units(Role.SECRET_REGISTRAR))
    return q


def visible_letters(p: Principal) -> QuerySet[Letter]:
    return Letter.objects.filter(visible_letters_q(p))
