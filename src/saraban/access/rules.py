"""Who may see and do what: the only place these rules live.

Each rule exists twice, as a check on one object (``can_*``) and as a filter for lists (``*_q``); the
test suite proves with generated users and letters that the two always agree.

- Unclassified letters: registrars, executives, administrators and secret registrars of the registering
  unit (roles reach sub-units unless granted for the unit alone), the person who registered it, and
  anyone or any unit it was given to (distribution, assignment: :class:`LetterAccess`).
- ลับ / ลับมาก: only people cleared for the level, and among them only the secret registrars of the
  registering unit and the people it was given to (need-to-know).
- ลับที่สุด never enters the system; its placeholder rows are seen by the unit's cleared secret
  registrars.
- Routing: a letter sent to a *position* is also seen by whoever holds or acts in that position today
  (a live step — not waiting, not recalled), so work follows the position through acting delegations.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from saraban.drafting.models import Draft, DraftParticipant, DraftStatus, ParticipantRole, ReviewStep, StepState
from saraban.kernel.models import SECRECY_LEVEL, Secrecy
from saraban.letters.models import Letter, LetterAccess, LetterStatus
from saraban.orgs.models import Role
from saraban.registry.books import SECRET_BOOKS
from saraban.registry.models import RegisterEntry
from saraban.routing.models import LIVE_STATUSES, Step

from .principal import Principal

NORMAL_VIEW_ROLES = (Role.REGISTRAR, Role.SECRET_REGISTRAR, Role.EXECUTIVE, Role.ADMIN)
PLACEHOLDER_LEVEL = 1  # a ลับที่สุด placeholder holds nothing secret, but stays in the secret books


def _level(secrecy: str, status: str = "") -> int:
    if status == LetterStatus.OUTSIDE:
        return PLACEHOLDER_LEVEL
    return SECRECY_LEVEL[Secrecy(secrecy)]


def _allowed_secrecy(p: Principal) -> list[str]:
    return [s for s, lvl in SECRECY_LEVEL.items() if lvl <= p.clearance]


# ---- letters -------------------------------------------------------------------------------------

def _positions_today(p: Principal) -> set:
    """Positions the person holds or acts in today (routing by position follows acting delegations)."""
    from saraban.kernel import clock
    from saraban.routing.resolve import positions_of

    return positions_of(p.person_id, clock.today())


def _has_grant(p: Principal, letter: Letter) -> bool:
    if not p.person_id:
        return False
    grants = LetterAccess.objects.filter(letter=letter)
    if grants.filter(Q(person_id=p.person_id) | Q(unit_id__in=p.member_unit_ids)).exists():
        return True
    positions = _positions_today(p)
    return bool(positions) and Step.objects.filter(letter=letter, to_position_id__in=positions,
                                                   status__in=LIVE_STATUSES).exists()


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
    grant = (Exists(
        LetterAccess.objects.filter(letter=OuterRef("pk")).filter(
            Q(person_id=p.person_id) | Q(unit_id__in=p.member_unit_ids)
        )
    ) | Exists(
        Step.objects.filter(letter=OuterRef("pk"), to_position_id__in=_positions_today(p), status__in=LIVE_STATUSES)
    )) if p.person_id else Q(pk__in=[])
    normal = Q(secrecy=Secrecy.NORMAL) & ~Q(status=LetterStatus.OUTSIDE) & (
        Q(unit_id__in=p.units(*NORMAL_VIEW_ROLES)) | Q(created_by_id=p.user_id) | grant
    )
    classified = Q(secrecy__in=_allowed_secrecy(p)) & ~Q(secrecy=Secrecy.NORMAL) & ~Q(status=LetterStatus.OUTSIDE) & (
        Q(unit_id__in=p.units(Role.SECRET_REGISTRAR)) | grant
    )
    q = normal | classified
    if p.clearance >= PLACEHOLDER_LEVEL:
        q |= Q(status=LetterStatus.OUTSIDE, unit_id__in=p.units(Role.SECRET_REGISTRAR))
    return q


def visible_letters(p: Principal):  # -> QuerySet[Letter]
    return Letter.objects.filter(visible_letters_q(p))


# ---- register entries and books ------------------------------------------------------------------

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
        secrecy__in=_allowed_secrecy(p)
    )
    if p.clearance < 1:
        return normal
    allowed = [*_allowed_secrecy(p), Secrecy.TOP_SECRET]  # placeholders: PLACEHOLDER_LEVEL <= clearance
    secret = Q(book__kind__in=list(SECRET_BOOKS)) & Q(book__unit_id__in=p.units(Role.SECRET_REGISTRAR)) & Q(
        secrecy__in=allowed
    )
    return normal | secret


def visible_entries(p: Principal):  # -> QuerySet[RegisterEntry]
    return RegisterEntry.objects.filter(visible_entries_q(p))


# ---- doing things --------------------------------------------------------------------------------

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


def can_view_intake(p: Principal, unit_id: object, secrecy: str) -> bool:
    """Items waiting in a unit's queue are seen by those who may register them."""
    return can_register_in(p, unit_id, secrecy)


# ---- routing -------------------------------------------------------------------------------------

ROUTE_ROLES = (Role.REGISTRAR, Role.SECRET_REGISTRAR, Role.EXECUTIVE)


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


def visible_intake_q(p: Principal) -> Q:
    if p.is_anonymous:
        return Q(pk__in=[])
    normal = Q(secrecy=Secrecy.NORMAL, unit_id__in=p.units(Role.REGISTRAR, Role.SECRET_REGISTRAR))
    classified = [s for s in _allowed_secrecy(p) if s != Secrecy.NORMAL]
    return normal | Q(secrecy__in=classified, unit_id__in=p.units(Role.SECRET_REGISTRAR))


# ---- drafts (drafting) ---------------------------------------------------------------------------
# A draft is seen by the people taking part in it — its drafter, preparer, reviewers and signers —
# and, when classified, only by those of them cleared for its level.  Once signed, the letter it
# became follows the letter rules above (its participants are granted access to it).

def _draft_cleared(p: Principal, secrecy: str) -> bool:
    return SECRECY_LEVEL[Secrecy(secrecy)] <= p.clearance


def can_view_draft(p: Principal, draft: Draft) -> bool:
    if p.is_anonymous or p.person_id is None or not _draft_cleared(p, draft.secrecy):
        return False
    return draft.drafter_id == p.person_id or DraftParticipant.objects.filter(
        draft_id=draft.pk, person_id=p.person_id).exists()


def visible_drafts_q(p: Principal) -> Q:
    if p.is_anonymous or p.person_id is None:
        return Q(pk__in=[])
    taking_part = Q(drafter_id=p.person_id) | Exists(
        DraftParticipant.objects.filter(draft=OuterRef("pk"), person_id=p.person_id))
    return Q(secrecy__in=_allowed_secrecy(p)) & taking_part


def can_review_draft(p: Principal, draft: Draft) -> bool:
    """It is this person's turn: the current step of the draft's review round is theirs."""
    if draft.status != DraftStatus.IN_REVIEW or not can_view_draft(p, draft):
        return False
    return ReviewStep.objects.filter(draft_id=draft.pk, round=draft.round, state=StepState.CURRENT,
                                     person_id=p.person_id).exists()


def drafts_to_review_q(p: Principal) -> Q:
    if p.is_anonymous or p.person_id is None:
        return Q(pk__in=[])
    turn = Exists(ReviewStep.objects.filter(draft=OuterRef("pk"), round=OuterRef("round"), state=StepState.CURRENT,
                                            person_id=p.person_id))
    return visible_drafts_q(p) & Q(status=DraftStatus.IN_REVIEW) & turn


def can_sign_draft(p: Principal, draft: Draft) -> bool:
    """An approved draft is signed by one of its approved signers."""
    if draft.status != DraftStatus.APPROVED or not can_view_draft(p, draft):
        return False
    return DraftParticipant.objects.filter(draft_id=draft.pk, person_id=p.person_id,
                                           role=ParticipantRole.SIGNER).exists()


def drafts_to_sign_q(p: Principal) -> Q:
    if p.is_anonymous or p.person_id is None:
        return Q(pk__in=[])
    signer = Exists(DraftParticipant.objects.filter(draft=OuterRef("pk"), person_id=p.person_id,
                                                    role=ParticipantRole.SIGNER))
    return visible_drafts_q(p) & Q(status=DraftStatus.APPROVED) & signer


def can_edit_draft(p: Principal, draft: Draft) -> bool:
    """The drafter or preparer while it is a draft or returned; the reviewer whose turn it is."""
    if not can_view_draft(p, draft):
        return False
    if draft.status in (DraftStatus.DRAFT, DraftStatus.RETURNED):
        return draft.drafter_id == p.person_id or draft.preparer_id == p.person_id
    return can_review_draft(p, draft)


# ---- exchange between systems (SBX) --------------------------------------------------------------
# A letter's dispatches are seen with the letter (can_view_letter).  Sending it, recalling it and
# recording a fallback are for those who may issue numbers in its unit, at its secrecy level.

def can_dispatch(p: Principal, letter: Letter) -> bool:
    return can_view_letter(p, letter) and can_register_in(p, letter.unit_id, letter.secrecy)


def can_admin_exchange(p: Principal) -> bool:
    """The participant directory and the outbox/inbox screens: administrators."""
    return not p.is_anonymous and (p.is_superuser or bool(p.units(Role.ADMIN)))


def can_view_exchange_dashboard(p: Principal) -> bool:
    """The ministry's linking dashboard: administrators and executives."""
    return not p.is_anonymous and (p.is_superuser or bool(p.units(Role.ADMIN, Role.EXECUTIVE)))
