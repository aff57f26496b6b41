"""The signing flow's actions: keeping a signed letter (the letter, its number and register row, its files,
who may see it, the draft marked signed) in one transaction, and recording a failed attempt.

The flow itself — opening keys, rendering, signing with the time-stamping authority outside any
transaction — is :mod:`saraban.drafting.signing_flow`.
"""

from __future__ import annotations

from collections.abc import Callable

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.errors import SarabanError
from saraban.kernel.models import Secrecy as ModelSecrecy
from saraban.letterpress.content import Letter as LetterContent
from saraban.letters import records
from saraban.letters.actions import store_file
from saraban.letters.models import Direction, FileRole, Letter, LetterFile
from saraban.registry import issuing
from saraban.registry.models import RegisterBook
from saraban.storage import blobs

from ..build import LETTER_KIND
from ..errors import AlreadySigned, WrongState
from ..models import Draft, DraftEnclosure, DraftParticipant, DraftStatus, SignedRecord
from ..signing_job import Job, Signed, stage


def _approved_locked(draft: Draft) -> Draft:
    draft = Draft.objects.select_for_update().select_related("unit", "agency").get(pk=draft.pk)
    if draft.status == DraftStatus.SIGNED:
        raise AlreadySigned()
    if draft.status != DraftStatus.APPROVED:
        raise WrongState(details={"status": draft.status})
    return draft


def _store(actor: Actor, job: Job, draft: Draft, result: Signed, staged: tuple[blobs.Staged, blobs.Staged],
           taken: tuple[RegisterBook, issuing.Planned] | None) -> SignedRecord:
    """Inside the signing transaction: the letter, its register row, its files, who may see it, the
    signed record, the draft marked signed, and the one audit event."""
    now = clock.now()
    day = result.day
    planned = taken[1] if taken else None
    register_unit = planned.unit if planned else draft.unit
    addressee = _addressee(result.letter)
    sender = draft.agency.name_th
    number = planned.display if planned else ""
    letter = records.create_letter(
        letter_uuid=draft.letter_uuid, agency=draft.agency, unit=register_unit, direction=Direction.OUTGOING,
        kind=LETTER_KIND[draft.kind_enum], their_ref=number, letter_date=day, sender=sender,
        addressee=addressee, subject=draft.subject, urgency=draft.urgency,
        secrecy=draft.secrecy, channel="drafted", created_by=actor, created_at=now,
    )
    entry = None
    if taken is not None:
        entry = issuing.register(actor, letter, taken[0], taken[1], letter_date=day, from_text=sender,
                                 to_text=addressee, subject=draft.subject)
    name = f"{(number or draft.kind).replace('/', '-').replace(' ', '_')}.pdf"
    signed_file = store_file(letter, role=FileRole.LETTER, name=name, data=result.signed.pdf, staged=staged[0],
                             pages=result.signed.rendered.pages, note=f"PAdES {result.signed.level}", order=0)
    enclosed = _enclose(draft, letter)
    copy = blobs.record(staged[1])
    people = set(DraftParticipant.objects.filter(draft=draft).values_list("person_id", flat=True))
    records.grant_all(letter, person_ids=sorted(people, key=str), units=[draft.unit], reason="drafting", at=now)
    record = SignedRecord.objects.create(
        draft=draft, letter=letter, signed_file=signed_file, file_copy=copy, entry=entry, token=result.token,
        sha256=signed_file.blob.sha256, number=number, letter_date=day, level=str(result.signed.level),
        pages=result.signed.rendered.pages, signers=job.signers_data, signed_at=now, signed_by=actor,
    )
    updated = Draft.objects.filter(pk=draft.pk, status=DraftStatus.APPROVED).update(
        status=DraftStatus.SIGNED, letter=letter, updated_at=now)
    if updated != 1:  # pragma: no cover - the row lock above makes this unreachable
        raise AlreadySigned()
    classified = draft.secrecy != ModelSecrecy.NORMAL
    audit.record("drafting.sign", actor=actor, obj=letter, data={
        "draft": str(draft.pk), "book": planned.book if planned else None, "number": number,
        "year": planned.year_be if planned else None, "unit": register_unit.code, "sha256": record.sha256,
        "file_copy": copy.sha256, "level": record.level, "signers": [s["name"] for s in job.signers_data],
        "subject": "" if classified else draft.subject, "version": draft.approved_version,
        "enclosures": [f.blob.sha256 for f in enclosed],
    })
    return record


def _enclose(draft: Draft, letter: Letter) -> list[LetterFile]:
    """The draft's enclosures become the letter's, the same bytes in the same order with the same lines."""
    out = []
    for e in DraftEnclosure.objects.filter(draft=draft).select_related("blob").order_by("order"):
        staged = blobs.Staged(sha256=e.blob.sha256, size=e.blob.size, content_type=e.blob.content_type,
                              encrypted=e.blob.encrypted)
        out.append(store_file(letter, role=FileRole.ENCLOSURE, name=e.name, title=e.title, order=e.order,
                              staged=staged, pages=e.pages))
    return out


@action("drafting.sign")
def keep_signed(actor: Actor, job: Job, result: Signed, staged: tuple[blobs.Staged, blobs.Staged]) -> SignedRecord:
    """Keep a letter signed with the number it expected: take that number (or refuse, NumberMoved)."""
    draft = _approved_locked(job.draft)
    taken = None
    if result.planned is not None:
        p = result.planned
        taken = issuing.take_number(p.unit, p.book, p.year_be, expected=p.number)
    return _store(actor, job, draft, result, staged, taken)


@action("drafting.sign")
def keep_signed_locked(actor: Actor, job: Job, sign: Callable[[Job, issuing.Planned | None], Signed]) -> SignedRecord:
    """Take the number first and sign while holding it (after lost races: progress guaranteed); ``sign`` is
    the flow's signing of one attempt (``saraban.drafting.signing_flow._sign_once``)."""
    draft = _approved_locked(job.draft)
    taken = None
    if job.book is not None:
        numbering = issuing.numbering_unit(draft.unit, job.book)
        taken = issuing.take_number(numbering, job.book, clock.year_be())
    result = sign(job, taken[1] if taken else None)
    return _store(actor, job, draft, result, stage(job, result), taken)


def _addressee(letter: LetterContent) -> str:
    to = getattr(letter, "to", "")
    if hasattr(to, "title"):
        return to.title
    return str(to or "")[:500]


@action("drafting.sign_failed")
def record_failure(actor: Actor, draft: Draft, error: SarabanError) -> None:
    """A failed signing leaves nothing behind but this event (wrong PINs are worth knowing about)."""
    audit.record("drafting.sign_failed", actor=actor, obj=draft, data={
        "code": error.code, "message": error.message_en, "status": draft.status,
    })
