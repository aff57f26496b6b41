"""Reading drafts: one draft if the caller may see it, the caller's lists, versions and people."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from saraban.access.principal import principal_for
from saraban.kernel.actor import Actor, Viewer
from saraban.letterpress import serial
from saraban.letterpress.content import Letter
from saraban.orgs.models import Person, PositionHolding
from saraban.orgs.queries import person_for_user

from . import policy
from .build import SignerSpec
from .errors import DraftNotFound, NoPerson
from .models import Draft, DraftParticipant, DraftVersion, ParticipantRole, ReviewStep, SignedRecord


def _uuid(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise DraftNotFound() from exc


def draft_for(actor: Actor, draft_id: Any) -> Draft:
    """The draft if the actor may see it; otherwise the same 404 as for a draft that does not exist."""
    draft = Draft.objects.select_related("unit", "agency", "drafter", "preparer", "checker").filter(
        pk=_uuid(draft_id)).first()
    if draft is None or not policy.can_view_draft(principal_for(actor), draft):
        raise DraftNotFound()
    return draft


def person_of(actor: Actor) -> Person:
    person = person_for_user(actor)
    if person is None:
        raise NoPerson()
    return person


Box = str  # "mine", "review", "sign", "all"


def drafts_for(actor: Viewer, box: Box = "all") -> QuerySet[Draft]:
    p = principal_for(actor)
    q = {"review": policy.drafts_to_review_q, "sign": policy.drafts_to_sign_q}.get(box, policy.visible_drafts_q)(p)
    qs = Draft.objects.filter(q).select_related("unit", "drafter")
    if box == "mine":
        qs = qs.filter(drafter_id=p.person_id)
    return qs.order_by("-updated_at")


def version(draft: Draft, number: int | None = None) -> DraftVersion:
    n = draft.version if number is None else number
    v = DraftVersion.objects.filter(draft=draft, number=n).first()
    if v is None:
        raise DraftNotFound("ไม่พบฉบับที่ระบุ", "Version not found", code="version_not_found")
    return v


def letter_of(v: DraftVersion) -> Letter:
    return serial.from_json(v.content)


def participants(draft: Draft, role: str) -> list[DraftParticipant]:
    return list(DraftParticipant.objects.filter(draft=draft, role=role).select_related("person")
                .order_by("order"))


def signers(draft: Draft) -> list[SignerSpec]:
    return [SignerSpec(p.person, p.mode, tuple(line for line in p.position.splitlines() if line.strip()))
            for p in participants(draft, ParticipantRole.SIGNER)]


def reviewers(draft: Draft) -> list[Person]:
    return [p.person for p in participants(draft, ParticipantRole.REVIEWER)]


def steps(draft: Draft, round_no: int | None = None) -> list[ReviewStep]:
    qs = ReviewStep.objects.filter(draft=draft).select_related("person").order_by("round", "order")
    if round_no is not None:
        qs = qs.filter(round=round_no)
    return list(qs)


def current_step(draft: Draft) -> ReviewStep | None:
    return ReviewStep.objects.filter(draft=draft, round=draft.round, state="current").select_related(
        "person").first()


def position_lines(person: Person) -> str:
    """The person's position today, as printed under a signature (one line)."""
    from saraban.kernel import clock

    today = clock.today()
    holding = (PositionHolding.objects.filter(person=person, start__lte=today).select_related("position")
               .order_by("kind", "-start").first())
    return holding.position.title_th if holding else ""


@dataclass(frozen=True)
class Candidate:
    person: Person
    position: str


def candidates(draft: Draft) -> list[Candidate]:
    """People of the draft's agency (and its parents) who may review or sign it: cleared for its level."""
    from saraban.kernel.models import SECRECY_LEVEL, Secrecy

    level = SECRECY_LEVEL[Secrecy(draft.secrecy)]
    agencies = []
    agency = draft.agency
    while agency is not None:
        agencies.append(agency.pk)
        agency = agency.parent
    people = (Person.objects.filter(home_unit__agency_id__in=agencies, clearance__gte=level, user__isnull=False)
              .select_related("home_unit").order_by("home_unit__path", "first_name_th"))
    return [Candidate(p, position_lines(p)) for p in people]


def signed_record(draft: Draft) -> SignedRecord | None:
    return SignedRecord.objects.filter(draft=draft).select_related("letter", "signed_file__blob", "file_copy",
                                                                   "entry__book").first()
