"""Signing an approved draft: number, date, render, sign, keep — all or nothing.

:func:`sign_draft` checks everything it can first (the caller is an approved signer, every key is
configured and unlocks, identities are verified for typed names), then:

1. reads the number the letter will get (:func:`saraban.registry.issuing.expected_number`), without
   taking it;
2. renders the letter with that number and today's date, draws the verification QR code and signs
   it (PAdES, with the time-stamping authority) — outside any transaction, so no register book is
   locked while the TSA answers;
3. validates the result and renders the file copy (สำเนาคู่ฉบับ) with the drafter, typist and checker;
4. stores both files and, in one transaction (:func:`_keep`), creates the letter, takes the number
   (refused if another letter took it meanwhile: then it all starts again with the next number),
   registers it in the book and marks the draft signed.  After a few lost races, :func:`_keep_locked`
   takes the number first and signs while holding it, so a busy book cannot starve a letter.

A failure anywhere leaves no number taken, no letter, no file; the attempt is audited with its error.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from saraban.access import rules
from saraban.access.principal import principal_for
from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action, undo_scope
from saraban.kernel.errors import SarabanError
from saraban.kernel.models import Secrecy as ModelSecrecy
from saraban.letterpress.content import Letter as LetterContent
from saraban.letterpress.render import RenderedLetter, render_letter
from saraban.letters.actions import store_file
from saraban.letters.models import Direction, FileRole, Letter, LetterAccess
from saraban.orgs import emblems
from saraban.registry import issuing
from saraban.registry.models import RegisterBook
from saraban.signing.errors import IdentityNotVerified, SignedButInvalid, SignerNotApproved
from saraban.signing.pades import LetterSigner, LetterSigning, SignedLetter, sign_letter
from saraban.signing.signers import KeySource
from saraban.signing.validate import validate_pdf
from saraban.storage import blobs

from . import build, keys, queries, trust
from .build import LETTER_KIND, SignerSpec
from .errors import AlreadySigned, WrongState
from .models import Draft, DraftParticipant, DraftStatus, SignedRecord

OPTIMISTIC_ATTEMPTS = 3
VERIFIED_BY = ""  # how the identity was verified, printed after the typed name when known


@dataclass(frozen=True)
class _Key:
    spec: SignerSpec | None
    """The signer (``None``: the agency seal standing in for typed names)."""
    source: KeySource
    expected: Any
    description: str


def _pin_for(pins: Mapping[str, str], spec: SignerSpec) -> str | None:
    person = spec.person
    for key in (str(person.pk), person.user.username if person.user_id else None):
        if key and pins.get(key):
            return pins[key]
    return None


def _keys(draft: Draft, signers: list[SignerSpec], pins: Mapping[str, str]) -> list[_Key]:
    """Open nothing yet: find and unlock (PIN) each signer's key, in signing order."""
    out: list[_Key] = []
    for spec in signers:
        if spec.mode == "typed":
            if not spec.person.identity_verified:
                raise IdentityNotVerified(details={"person": spec.person.full_name_th})
            continue
        if spec.mode == "seal":
            key = keys.seal_key(draft.agency)
            source, expected = keys.unlock(key, None)
        else:
            key = keys.person_key(spec.person)
            source, expected = keys.unlock(key, _pin_for(pins, spec))
        out.append(_Key(spec, source, expected, key.subject))
    if not out:  # typed names only: the agency seal protects the letter (invisible signature)
        key = keys.seal_key(draft.agency)
        source, expected = keys.unlock(key, None)
        out.append(_Key(None, source, expected, key.subject))
    return out


@dataclass(frozen=True)
class _Job:
    """What signing one draft needs, gathered and checked before anything is signed."""

    draft: Draft
    content: LetterContent
    signers: list[SignerSpec]
    opened: list[_Key]
    base_url: str
    book: str | None
    signers_data: list[dict[str, Any]]


@dataclass(frozen=True)
class _Signed:
    planned: issuing.Planned | None
    day: dt.date
    letter: LetterContent
    signed: SignedLetter
    file_copy: RenderedLetter
    token: str


def _expected(job: _Job) -> issuing.Planned | None:
    if job.book is None:
        return None
    numbering = issuing.numbering_unit(job.draft.unit, job.book)
    return issuing.expected_number(numbering, job.book, clock.year_be())


def _sign_once(job: _Job, planned: issuing.Planned | None) -> _Signed:
    """Render the letter with ``planned``'s number and today's date, sign it, validate it, and render
    its file copy."""
    draft = job.draft
    now = clock.now()
    day = clock.today()
    letter = build.with_signers(job.content, job.signers, typed_at=now, verified_by=VERIFIED_BY)
    letter = build.for_signing(letter, number=planned.display if planned else "", day=day)
    token = secrets.token_urlsafe(18)
    cfg = trust.config()
    signed = sign_letter(letter, LetterSigning(
        signers=tuple(LetterSigner(k.source, expected=k.expected, name=k.spec.person.full_name_th if k.spec else None)
                      for k in job.opened),
        trust=cfg.trust, level=cfg.level, verification_url=f"{job.base_url.rstrip('/')}/verify/{token}",
        settings=build.render_settings(draft.kind_enum, draft.agency, issuing=True),
    ))
    report = validate_pdf(signed.pdf, **trust.validation_args())  # type: ignore[arg-type]
    if not report.valid:
        raise SignedButInvalid(problems=[p for s in report.signatures for p in s.problems] or list(report.problems))
    marks = build.file_copy_marks(draft.drafter, draft.preparer, draft.checker)
    file_copy = render_letter(build.replace(letter, file_copy=marks),
                              build.render_settings(draft.kind_enum, draft.agency, file_copy=True,
                                                    issuing=True))
    return _Signed(planned, day, letter, signed, file_copy, token)


def _signers_data(signers: list[SignerSpec], opened: list[_Key]) -> list[dict[str, Any]]:
    out = [{"name": s.person.full_name_th, "position": " ".join(s.position), "mode": s.mode,
            "capacity": s.capacity, "order_ref": s.order_ref,
            "certificate": next((k.description for k in opened if k.spec is s), "")} for s in signers]
    out += [{"name": "", "position": "", "mode": "seal", "certificate": k.description}
            for k in opened if k.spec is None]
    return out


def _stage(job: _Job, result: _Signed) -> tuple[blobs.Staged, blobs.Staged]:
    encrypted = job.draft.secrecy != ModelSecrecy.NORMAL
    return (blobs.stage(result.signed.pdf, "application/pdf", encrypted=encrypted),
            blobs.stage(result.file_copy.pdf, "application/pdf", encrypted=encrypted))


def _approved_locked(draft: Draft) -> Draft:
    draft = Draft.objects.select_for_update().select_related("unit", "agency").get(pk=draft.pk)
    if draft.status == DraftStatus.SIGNED:
        raise AlreadySigned()
    if draft.status != DraftStatus.APPROVED:
        raise WrongState(details={"status": draft.status})
    return draft


def _store(actor: Any, job: _Job, draft: Draft, result: _Signed, staged: tuple[blobs.Staged, blobs.Staged],
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
    letter = Letter.objects.create(
        letter_uuid=draft.letter_uuid, agency=draft.agency, unit=register_unit, direction=Direction.OUTGOING,
        kind=LETTER_KIND[draft.kind_enum], their_ref=number, ref_norm=_norm(number), letter_date=day, sender=sender,
        sender_norm=_norm(sender), addressee=addressee, subject=draft.subject, urgency=draft.urgency,
        secrecy=draft.secrecy, channel="drafted", created_by=actor, created_at=now,
    )
    entry = None
    if taken is not None:
        entry = issuing.register(actor, letter, taken[0], taken[1], letter_date=day, from_text=sender,
                                 to_text=addressee, subject=draft.subject)
    name = f"{(number or draft.kind).replace('/', '-').replace(' ', '_')}.pdf"
    signed_file = store_file(letter, role=FileRole.SIGNED, name=name, data=result.signed.pdf, staged=staged[0],
                             pages=result.signed.rendered.pages, note=f"PAdES {result.signed.level}")
    copy = blobs.record(staged[1])
    people = set(DraftParticipant.objects.filter(draft=draft).values_list("person_id", flat=True))
    LetterAccess.objects.bulk_create([LetterAccess(letter=letter, person_id=pid, reason="drafting", granted_at=now)
                                      for pid in sorted(people, key=str)]
                                     + [LetterAccess(letter=letter, unit=draft.unit, reason="drafting",
                                                     granted_at=now)])
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
    })
    return record


@action("drafting.sign")
def _keep(actor: Any, job: _Job, result: _Signed, staged: tuple[blobs.Staged, blobs.Staged]) -> SignedRecord:
    """Keep a letter signed with the number it expected: take that number (or refuse, NumberMoved)."""
    draft = _approved_locked(job.draft)
    taken = None
    if result.planned is not None:
        p = result.planned
        taken = issuing.take_number(p.unit, p.book, p.year_be, expected=p.number)
    return _store(actor, job, draft, result, staged, taken)


@action("drafting.sign")
def _keep_locked(actor: Any, job: _Job) -> SignedRecord:
    """Take the number first and sign while holding it (after lost races: progress guaranteed)."""
    draft = _approved_locked(job.draft)
    taken = None
    if job.book is not None:
        numbering = issuing.numbering_unit(draft.unit, job.book)
        taken = issuing.take_number(numbering, job.book, clock.year_be())
    result = _sign_once(job, taken[1] if taken else None)
    return _store(actor, job, draft, result, _stage(job, result), taken)


def _norm(text: str) -> str:
    from saraban.kernel.thai import normalize

    return normalize(text)


def _addressee(letter: LetterContent) -> str:
    to = getattr(letter, "to", "")
    if hasattr(to, "title"):
        return to.title
    return str(to or "")[:500]


@action("drafting.sign_failed")
def record_failure(actor: Any, draft: Draft, error: SarabanError) -> None:
    """A failed signing leaves nothing behind but this event (wrong PINs are worth knowing about)."""
    audit.record("drafting.sign_failed", actor=actor, obj=draft, data={
        "code": error.code, "message": error.message_en, "status": draft.status,
    })


def sign_draft(actor: Any, draft: Draft, *, pins: Mapping[str, str] | None = None,
               base_url: str | None = None) -> SignedRecord:
    """Sign an approved draft (see the module docstring).  ``pins`` maps each signer (person id or
    username) to the PIN of their key; ``base_url`` is where the public verification page lives."""
    try:
        return _sign(actor, draft, pins or {}, base_url or settings.SARABAN_PUBLIC_URL or "http://127.0.0.1:8000")
    except SarabanError as exc:
        if not isinstance(exc, AlreadySigned):
            record_failure(actor, draft, exc)
        raise


def _sign(actor: Any, draft: Draft, pins: Mapping[str, str], base_url: str) -> SignedRecord:
    draft = queries.draft_for(actor, draft.pk)
    if draft.status == DraftStatus.SIGNED:
        raise AlreadySigned()
    if draft.status != DraftStatus.APPROVED or draft.approved_version != draft.version:
        raise WrongState(details={"status": draft.status})
    if not rules.can_sign_draft(principal_for(actor), draft):
        raise SignerNotApproved(details={"draft": str(draft.pk)})
    emblems.garuda_for_issuing(draft.agency)  # no real letter without the agency's Garuda
    content = queries.letter_of(queries.version(draft, draft.approved_version))
    signers = queries.signers(draft, day=clock.today())  # titles as on the signing date
    book = build.book_for(draft.kind_enum, circular=draft.circular)
    if book is not None:
        book = issuing.check_book(book, draft.secrecy)
        issuing.numbering_unit(draft.unit, book)
    opened = _keys(draft, signers, pins)
    job = _Job(draft, content, signers, opened, base_url, book, _signers_data(signers, opened))
    for _ in range(OPTIMISTIC_ATTEMPTS):
        result = _sign_once(job, _expected(job))
        try:
            with undo_scope():  # the files go again if keeping them fails
                return _keep(actor, job, result, _stage(job, result))
        except issuing.NumberMoved:
            continue
    return _keep_locked(actor, job)
