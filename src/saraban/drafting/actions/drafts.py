"""Actions of the drafting flow: create, save a version, choose the people, submit, review, comment,
cancel.  Signing is in :mod:`saraban.drafting.signing_flow` (its actions in :mod:`.signing`).

Every public function decorated with ``@action`` is one transaction with one audit event.  Classified
drafts never put their subject or text in the audit log.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from saraban.access.principal import principal_for
from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.models import SECRECY_LEVEL
from saraban.kernel.models import Secrecy as ModelSecrecy
from saraban.letterpress import serial
from saraban.letterpress.content import Kind, Letter, Secrecy, check_letter
from saraban.letterpress.errors import TopSecretRefused
from saraban.letterpress.fields import apply_form
from saraban.orgs.models import Person, Unit
from saraban.orgs.queries import unit_by_code

from .. import build, diff, policy, queries
from ..build import SECRECY_TO_MODEL, URGENCY_TO_MODEL, SignerSpec
from ..errors import (
    CommentRequired,
    DraftNotAllowed,
    PeopleInvalid,
    StaleVersion,
    WrongState,
)
from ..models import (
    EDITABLE,
    Draft,
    DraftComment,
    DraftParticipant,
    DraftStatus,
    DraftVersion,
    ParticipantRole,
    ReviewStep,
    StepRole,
    StepState,
)


def _deny(th: str, en: str) -> DraftNotAllowed:
    return DraftNotAllowed(f"ท่านไม่มีสิทธิ์{th}", f"You may not {en}")


def _audit_data(draft: Draft, **data: Any) -> dict[str, Any]:
    """Audit payload: never a classified draft's subject."""
    base = {"kind": draft.kind, "version": draft.version, "status": draft.status, "secrecy": draft.secrecy}
    if draft.secrecy == ModelSecrecy.NORMAL:
        base["subject"] = draft.subject
    return {**base, **data}


def _check_secrecy(person: Person, letter: Letter) -> None:
    if letter.secrecy == Secrecy.TOP_SECRET:
        raise TopSecretRefused()
    if SECRECY_LEVEL[SECRECY_TO_MODEL[letter.secrecy]] > person.clearance:
        raise _deny("ร่างหนังสือชั้นความลับระดับนี้", "draft letters of this secrecy level")


def _mirror(draft: Draft, letter: Letter) -> None:
    """Copy the list columns (subject, urgency, secrecy) from the current content."""
    draft.subject = letter.subject.strip()[:1000]
    draft.urgency = URGENCY_TO_MODEL[letter.urgency]
    draft.secrecy = SECRECY_TO_MODEL[letter.secrecy]


def _new_version(draft: Draft, letter: Letter, author: Person, note: str = "") -> DraftVersion:
    draft.version += 1
    _mirror(draft, letter)
    draft.updated_at = clock.now()
    draft.save()
    return DraftVersion.objects.create(draft=draft, number=draft.version, content=serial.to_json(letter),
                                       author=author, note=note[:500], created_at=draft.updated_at)


def _locked(draft: Draft) -> Draft:
    """The draft re-read inside the transaction (row-locked on PostgreSQL)."""
    return Draft.objects.select_for_update().select_related("unit", "agency").get(pk=draft.pk)


# --- create and edit ------------------------------------------------------------------------------


def _unit_for(person: Person, code: str | None) -> Unit:
    if not code:
        return person.home_unit
    unit = unit_by_code(code)
    p = principal_for(person.user)
    reachable = unit is not None and (unit.pk in p.member_unit_ids
                                      or any(unit.pk in ids for ids in p.units_by_role.values()))
    if unit is None or not reachable:
        raise PeopleInvalid("ท่านร่างหนังสือในนามหน่วยงานนี้ไม่ได้", "You cannot draft for this unit",
                            code="unit_not_allowed", details={"unit": code})
    return unit


@action("drafting.create")
def create_draft(actor: Actor, *, kind: str, unit: str | None = None, form: Mapping[str, Any] | None = None,
                 content: Mapping[str, Any] | None = None, circular: bool = False) -> Draft:
    """Start a draft of ``kind`` (a :class:`~saraban.letterpress.content.Kind` value) for the actor's unit.

    ``form`` (editor fields) or ``content`` (structured content) may give its first text.
    """
    person = queries.person_of(actor)
    try:
        kind_enum = Kind(kind)
    except ValueError as exc:
        raise serial.ContentInvalid("ไม่รู้จักชนิดหนังสือนี้", "Unknown kind of letter",
                                    details={"field": "kind"}) from exc
    owning = _unit_for(person, unit)
    letter = build.defaults(kind_enum, owning)
    if content:
        letter = serial.from_json({**serial.to_json(letter), **dict(content), "kind": kind_enum.value},
                                  trusted=False)
    if form:
        letter = apply_form(letter, dict(form))
    _check_secrecy(person, letter)
    now = clock.now()
    draft = Draft(agency=owning.agency, unit=owning, kind=kind_enum.value, created_by=actor, drafter=person,
                  circular=bool(circular) and kind_enum in build.CIRCULAR_KINDS, created_at=now, updated_at=now)
    _mirror(draft, letter)
    draft.save(force_insert=True)
    DraftParticipant.objects.create(draft=draft, person=person, role=ParticipantRole.DRAFTER)
    _new_version(draft, letter, person, "สร้างร่าง")
    audit.record("drafting.create", actor=actor, obj=draft, data=_audit_data(draft, unit=owning.code))
    return draft


def prepare_content(draft: Draft, *, form: Mapping[str, Any] | None = None,
                    content: Mapping[str, Any] | None = None) -> Letter:
    """The draft's current content with ``form`` or ``content`` applied (nothing saved)."""
    letter = queries.letter_of(queries.version(draft))
    if content is not None:
        keep = {k: v for k, v in serial.to_json(letter).items() if k in serial.SERVER_ONLY}
        letter = serial.from_json({**dict(content), "kind": draft.kind}, trusted=False)
        letter = serial.from_json({**serial.to_json(letter), **keep})
        letter = build.with_signers(letter, queries.signers(draft))
    if form is not None:
        letter = apply_form(letter, dict(form))
    attached = [e.label for e in draft.enclosures.order_by("order")]
    if attached:  # the lines of attached files follow the files; typed lines stand for paper enclosures
        letter = build.with_enclosures(letter, attached)
    return letter


@action("drafting.save")
def save_version(actor: Actor, draft: Draft, *, base_version: int, form: Mapping[str, Any] | None = None,
                 content: Mapping[str, Any] | None = None, circular: bool | None = None,
                 note: str = "") -> DraftVersion:
    """Save an edit as a new version.  ``base_version`` is the version the edit started from: if
    someone saved meanwhile, the edit is refused (:class:`StaleVersion`) rather than lost."""
    person = queries.person_of(actor)
    draft = _locked(draft)
    if not policy.can_edit_draft(principal_for(actor), draft):
        raise _deny("แก้ไขร่างนี้ในขณะนี้", "edit this draft now")
    if base_version != draft.version:
        raise StaleVersion(details={"base": base_version, "current": draft.version})
    letter = prepare_content(draft, form=form, content=content)
    _check_secrecy(person, letter)
    old = queries.letter_of(queries.version(draft))
    changed = letter != old
    if circular is not None and draft.kind_enum in build.CIRCULAR_KINDS and bool(circular) != draft.circular:
        draft.circular = bool(circular)
        changed = True
    if not changed:
        audit.record("drafting.save", actor=actor, obj=draft, data=_audit_data(draft, unchanged=True))
        return queries.version(draft)
    new = SECRECY_LEVEL[SECRECY_TO_MODEL[letter.secrecy]]
    if new:
        for p in DraftParticipant.objects.filter(draft=draft).select_related("person"):
            if p.person.clearance < new:
                raise PeopleInvalid(f"{p.person.full_name_th} ไม่มีสิทธิ์เข้าถึงหนังสือชั้นความลับระดับนี้",
                                    f"{p.person.full_name_th} is not cleared for this secrecy level",
                                    code="participant_not_cleared")
    version = _new_version(draft, letter, person, note)
    audit.record("drafting.save", actor=actor, obj=draft, data=_audit_data(draft, by=str(person.pk)))
    return version


# --- people -----------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SignerChoice:
    person: Person
    mode: str = "pki"
    position: str | None = None
    """Position lines under the signature; ``None``: the person's position today."""


def _check_people(draft: Draft, reviewers: Sequence[Person], signers: Sequence[SignerChoice]) -> None:
    kind = draft.kind_enum
    if not signers:
        raise PeopleInvalid("ต้องระบุผู้ลงนามอย่างน้อยหนึ่งคน", "Name at least one signer", code="no_signer")
    if kind in build.SINGLE_SIGNER and len(signers) != 1:
        raise PeopleInvalid("หนังสือชนิดนี้มีผู้ลงนามได้คนเดียว", "This kind of letter has exactly one signer",
                            code="one_signer_only")
    allowed = build.allowed_modes(kind)
    level = SECRECY_LEVEL[ModelSecrecy(draft.secrecy)]
    seen: set[Any] = set()
    for s in signers:
        if s.mode not in allowed:
            raise PeopleInvalid(
                "วิธีลงนามนี้ใช้กับหนังสือชนิดนี้ไม่ได้", "This way of signing is not allowed for this kind",
                code="sign_mode_not_allowed", details={"mode": s.mode, "allowed": list(allowed)})
        if s.mode == "typed" and not s.person.identity_verified:
            raise PeopleInvalid(
                f"{s.person.full_name_th} ยังไม่ได้ยืนยันตัวตน จึงลงนามด้วยการพิมพ์ชื่อไม่ได้",
                f"{s.person.full_name_th} is not identity-verified, so cannot sign with a typed name",
                code="identity_not_verified")
        if s.person.pk in seen:
            raise PeopleInvalid("ผู้ลงนามซ้ำกัน", "A signer is named twice", code="signer_twice")
        seen.add(s.person.pk)
    for person in [*reviewers, *(s.person for s in signers)]:
        if person.clearance < level:
            raise PeopleInvalid(f"{person.full_name_th} ไม่มีสิทธิ์เข้าถึงหนังสือชั้นความลับระดับนี้",
                                f"{person.full_name_th} is not cleared for this secrecy level",
                                code="participant_not_cleared")
        if person.user_id is None:
            raise PeopleInvalid(f"{person.full_name_th} ไม่มีบัญชีผู้ใช้", f"{person.full_name_th} has no account",
                                code="participant_no_account")
    if len({p.pk for p in reviewers}) != len(reviewers):
        raise PeopleInvalid("ผู้ตรวจซ้ำกัน", "A reviewer is named twice", code="reviewer_twice")


@action("drafting.set_people")
def set_people(actor: Actor, draft: Draft, *, reviewers: Sequence[Person], signers: Sequence[SignerChoice],
               preparer: Person | None = None) -> Draft:
    """Choose the preparer (typist), the reviewers in order and the signers in order.  The signature
    blocks follow, in a new version."""
    person = queries.person_of(actor)
    draft = _locked(draft)
    if draft.status not in EDITABLE or not policy.can_edit_draft(principal_for(actor), draft) \
            or (draft.drafter_id != person.pk and draft.preparer_id != person.pk):
        raise _deny("กำหนดผู้ตรวจและผู้ลงนามของร่างนี้", "choose the people of this draft")
    _check_people(draft, reviewers, signers)
    DraftParticipant.objects.filter(draft=draft).exclude(role=ParticipantRole.DRAFTER).delete()
    rows = [DraftParticipant(draft=draft, person=p, role=ParticipantRole.REVIEWER, order=n)
            for n, p in enumerate(reviewers, start=1)]
    specs = []
    for n, s in enumerate(signers, start=1):
        position = queries.position_lines(s.person) if s.position is None else s.position
        rows.append(DraftParticipant(draft=draft, person=s.person, role=ParticipantRole.SIGNER, order=n,
                                     mode=s.mode, position=position.strip()))
        specs.append(SignerSpec(s.person, s.mode, tuple(x.strip() for x in position.splitlines() if x.strip())))
    if preparer is not None:
        rows.append(DraftParticipant(draft=draft, person=preparer, role=ParticipantRole.PREPARER))
    DraftParticipant.objects.bulk_create(rows)
    draft.preparer = preparer
    letter = build.with_signers(queries.letter_of(queries.version(draft)), specs)
    _new_version(draft, letter, person, "กำหนดผู้ตรวจและผู้ลงนาม")
    audit.record("drafting.set_people", actor=actor, obj=draft, data=_audit_data(
        draft, reviewers=[str(p.pk) for p in reviewers], signers=[[str(s.person.pk), s.mode] for s in signers],
        preparer=str(preparer.pk) if preparer else None))
    return draft


# --- review -----------------------------------------------------------------------------------------


def check_ready(draft: Draft, letter: Letter) -> None:
    """Refuse a draft that cannot go forward: fields missing, no signer (rendering is checked by
    the caller, outside the transaction)."""
    check_letter(letter)
    if not DraftParticipant.objects.filter(draft=draft, role=ParticipantRole.SIGNER).exists():
        raise PeopleInvalid("ต้องระบุผู้ลงนามก่อนเสนอ", "Name the signer before submitting", code="no_signer")


@action("drafting.submit")
def submit(actor: Actor, draft: Draft, *, version: int) -> Draft:
    """Send the draft up: the reviewers in order, then each signer approving in order.  ``version``
    is the version the caller checked (rendered): a newer one is refused."""
    person = queries.person_of(actor)
    draft = _locked(draft)
    if draft.status not in EDITABLE:
        raise WrongState(details={"status": draft.status})
    if draft.drafter_id != person.pk and draft.preparer_id != person.pk:
        raise _deny("เสนอร่างนี้", "submit this draft")
    if version != draft.version:
        raise StaleVersion(details={"base": version, "current": draft.version})
    check_ready(draft, queries.letter_of(queries.version(draft)))
    draft.round += 1
    draft.submitted_version = draft.version
    chain = [(p, StepRole.REVIEW) for p in queries.reviewers(draft)]
    chain += [(s.person, StepRole.APPROVE) for s in queries.signers(draft)]
    ReviewStep.objects.bulk_create([
        ReviewStep(draft=draft, round=draft.round, order=n, person=p, role=role,
                   state=StepState.CURRENT if n == 1 else StepState.WAITING)
        for n, (p, role) in enumerate(chain, start=1)
    ])
    draft.status = DraftStatus.IN_REVIEW
    draft.updated_at = clock.now()
    draft.save()
    audit.record("drafting.submit", actor=actor, obj=draft, data=_audit_data(
        draft, round=draft.round, chain=[[str(p.pk), role] for p, role in chain]))
    return draft


@action("drafting.decide")
def decide(actor: Actor, draft: Draft, *, decision: str, comment: str = "") -> ReviewStep:
    """The person whose turn it is passes the draft on (``approve``) or sends it back (``return``,
    with a comment; the return carries what changed since it was submitted)."""
    person = queries.person_of(actor)
    draft = _locked(draft)
    comment = (comment or "").strip()
    if decision not in ("approve", "return"):
        raise serial.ContentInvalid("การพิจารณาต้องเป็น approve หรือ return", "decision must be approve or return",
                                    details={"field": "decision"})
    if not policy.can_review_draft(principal_for(actor), draft):
        raise _deny("พิจารณาร่างนี้ (ยังไม่ถึงลำดับของท่าน)", "decide on this draft (it is not your turn)")
    step = ReviewStep.objects.get(draft=draft, round=draft.round, state=StepState.CURRENT)
    now = clock.now()
    step.version, step.comment, step.decided_at = draft.version, comment[:5000], now
    if decision == "return":
        if not comment:
            raise CommentRequired()
        submitted = queries.letter_of(queries.version(draft, draft.submitted_version))
        current = queries.letter_of(queries.version(draft))
        step.diff = diff.unified(submitted, current, old_label=f"ฉบับที่ {draft.submitted_version}",
                                 new_label=f"ฉบับที่ {draft.version}")
        step.state = StepState.RETURNED
        step.save()
        ReviewStep.objects.filter(draft=draft, round=draft.round, state=StepState.WAITING).update(
            state=StepState.CANCELLED)
        draft.status = DraftStatus.RETURNED
    else:
        step.state = StepState.APPROVED
        step.save()
        if step.role == StepRole.REVIEW:
            draft.checker = person
        following = ReviewStep.objects.filter(draft=draft, round=draft.round, state=StepState.WAITING).order_by(
            "order").first()
        if following is not None:
            following.state = StepState.CURRENT
            following.save(update_fields=["state"])
        else:
            draft.status = DraftStatus.APPROVED
            draft.approved_version = draft.version
            if draft.checker_id is None:
                draft.checker = person
    draft.updated_at = now
    draft.save()
    audit.record("drafting.decide", actor=actor, obj=draft, data=_audit_data(
        draft, decision=decision, step=step.order, role=step.role, round=draft.round,
        comment=comment if draft.secrecy == ModelSecrecy.NORMAL else ""))
    return step


@action("drafting.comment")
def add_comment(actor: Actor, draft: Draft, text: str) -> DraftComment:
    person = queries.person_of(actor)
    text = (text or "").strip()
    if not text:
        raise CommentRequired("ข้อความความเห็นว่างเปล่า", "The comment is empty", code="comment_empty")
    if not policy.can_view_draft(principal_for(actor), draft):
        raise _deny("แสดงความเห็นในร่างนี้", "comment on this draft")
    c = DraftComment.objects.create(draft=draft, person=person, version=draft.version, text=text[:5000],
                                    created_at=clock.now())
    audit.record("drafting.comment", actor=actor, obj=draft, data=_audit_data(
        draft, text=text if draft.secrecy == ModelSecrecy.NORMAL else ""))
    return c


@action("drafting.cancel")
def cancel(actor: Actor, draft: Draft, reason: str = "") -> Draft:
    person = queries.person_of(actor)
    draft = _locked(draft)
    if draft.drafter_id != person.pk:
        raise _deny("ยกเลิกร่างนี้", "cancel this draft")
    if draft.status in (DraftStatus.SIGNED, DraftStatus.CANCELLED):
        raise WrongState(details={"status": draft.status})
    ReviewStep.objects.filter(draft=draft, state__in=[StepState.CURRENT, StepState.WAITING]).update(
        state=StepState.CANCELLED)
    draft.status = DraftStatus.CANCELLED
    draft.updated_at = clock.now()
    draft.save()
    audit.record("drafting.cancel", actor=actor, obj=draft, data=_audit_data(draft, reason=reason[:500]))
    return draft


def submit_checked(actor: Actor, draft: Draft) -> Draft:
    """Check that the current version is complete and fits its pages (rendering it, outside any
    transaction), then :func:`submit` it."""
    from saraban.letterpress.render import render_letter

    draft = queries.draft_for(actor, draft.pk)
    letter = queries.letter_of(queries.version(draft))
    check_ready(draft, letter)
    book = build.book_for(draft.kind_enum, circular=draft.circular)
    render_letter(build.replace(letter, number=build.draft_number(letter, draft.unit, book)),
                  build.render_settings(draft.kind_enum, draft.agency.digit_style))
    return submit(actor, draft, version=draft.version)
