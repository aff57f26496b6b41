"""Who may see, review, sign and edit a draft.

A draft is seen by the people taking part in it — its drafter, preparer, reviewers and signers — and,
when classified, only by those of them cleared for its level.  Once signed, the letter it became follows
the letter rules (:mod:`saraban.letters.policy`; its participants are granted access to it).  Each check
on one draft (``can_*``) has a list filter (``*_q``) that agrees with it (tests/access/test_rules_agree.py).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from saraban.access.clearance import allowed_secrecy, cleared_for
from saraban.access.principal import Principal

from .models import Draft, DraftParticipant, DraftStatus, ParticipantRole, ReviewStep, StepState


def can_view_draft(p: Principal, draft: Draft) -> bool:
    if p.is_anonymous or p.person_id is None or not cleared_for(p, draft.secrecy):
        return False
    return draft.drafter_id == p.person_id or DraftParticipant.objects.filter(
        draft_id=draft.pk, person_id=p.person_id).exists()


def visible_drafts_q(p: Principal) -> Q:
    if p.is_anonymous or p.person_id is None:
        return Q(pk__in=[])
    taking_part = Q(drafter_id=p.person_id) | Exists(
        DraftParticipant.objects.filter(draft=OuterRef("pk"), person_id=p.person_id))
    return Q(secrecy__in=allowed_secrecy(p)) & taking_part


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
