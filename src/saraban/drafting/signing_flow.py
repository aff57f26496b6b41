"""Signing an approved draft: number, date, render, sign, keep — all or nothing.

:func:`sign_draft` checks everything it can first (the caller is an approved signer, every key is
configured and unlocks, identities are verified for typed names), then:

1. reads the number the letter will get (:func:`saraban.registry.issuing.expected_number`), without
   taking it;
2. renders the letter with that number and today's date, draws the verification QR code and signs
   it (PAdES, with the time-stamping authority) — outside any transaction, so no register book is
   locked while the TSA answers;
3. validates the result and renders the file copy (สำเนาคู่ฉบับ) with the drafter, typist and checker;
4. stores both files and, in one transaction (:func:`keep_signed`), creates the letter, takes the number
   (refused if another letter took it meanwhile: then it all starts again with the next number),
   registers it in the book and marks the draft signed (the actions of
   :mod:`saraban.drafting.actions.signing`).  After a few lost races, :func:`keep_signed_locked`
   takes the number first and signs while holding it, so a busy book cannot starve a letter.

A failure anywhere leaves no number taken, no letter, no file; the attempt is audited with its error.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.conf import settings

from saraban.access.principal import principal_for
from saraban.kernel import clock
from saraban.kernel.actions import undo_scope
from saraban.kernel.actor import Actor
from saraban.kernel.errors import SarabanError
from saraban.letterpress.render import render_letter
from saraban.registry import issuing
from saraban.signing.errors import IdentityNotVerified, SignedButInvalid, SignerNotApproved
from saraban.signing.pades import LetterSigner, LetterSigning, sign_letter
from saraban.signing.validate import validate_pdf

from . import build, keys, policy, queries, signing_job, trust
from .actions.signing import keep_signed, keep_signed_locked, record_failure
from .build import SignerSpec
from .errors import AlreadySigned, WrongState
from .models import Draft, DraftStatus, SignedRecord

OPTIMISTIC_ATTEMPTS = 3
VERIFIED_BY = ""  # how the identity was verified, printed after the typed name when known


def _pin_for(pins: Mapping[str, str], spec: SignerSpec) -> str | None:
    person = spec.person
    for key in (str(person.pk), person.user.username if person.user_id else None):
        if key and pins.get(key):
            return pins[key]
    return None


def _keys(draft: Draft, signers: list[SignerSpec], pins: Mapping[str, str]) -> list[signing_job.OpenedKey]:
    """Open nothing yet: find and unlock (PIN) each signer's key, in signing order."""
    out: list[signing_job.OpenedKey] = []
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
        out.append(signing_job.OpenedKey(spec, source, expected, key.subject))
    if not out:  # typed names only: the agency seal protects the letter (invisible signature)
        key = keys.seal_key(draft.agency)
        source, expected = keys.unlock(key, None)
        out.append(signing_job.OpenedKey(None, source, expected, key.subject))
    return out


def _expected(job: signing_job.Job) -> issuing.Planned | None:
    if job.book is None:
        return None
    numbering = issuing.numbering_unit(job.draft.unit, job.book)
    return issuing.expected_number(numbering, job.book, clock.year_be())


def _sign_once(job: signing_job.Job, planned: issuing.Planned | None) -> signing_job.Signed:
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
        seal_centre=build.agency_emblem(draft.agency, issuing=True).seal,
    ))
    report = validate_pdf(signed.pdf, **trust.validation_args())  # type: ignore[arg-type]
    if not report.valid:
        raise SignedButInvalid(problems=[p for s in report.signatures for p in s.problems] or list(report.problems))
    marks = build.file_copy_marks(draft.drafter, draft.preparer, draft.checker)
    file_copy = render_letter(build.replace(letter, file_copy=marks),
                              build.render_settings(draft.kind_enum, draft.agency, file_copy=True,
                                                    issuing=True))
    return signing_job.Signed(planned, day, letter, signed, file_copy, token)


def _signers_data(signers: list[SignerSpec], opened: list[signing_job.OpenedKey]) -> list[dict[str, Any]]:
    out = [{"name": s.person.full_name_th, "position": " ".join(s.position), "mode": s.mode,
            "capacity": s.capacity, "order_ref": s.order_ref,
            "certificate": next((k.description for k in opened if k.spec is s), "")} for s in signers]
    out += [{"name": "", "position": "", "mode": "seal", "certificate": k.description}
            for k in opened if k.spec is None]
    return out


def sign_draft(actor: Actor, draft: Draft, *, pins: Mapping[str, str] | None = None,
               base_url: str | None = None) -> SignedRecord:
    """Sign an approved draft (see the module docstring).  ``pins`` maps each signer (person id or
    username) to the PIN of their key; ``base_url`` is where the public verification page lives."""
    try:
        return _sign(actor, draft, pins or {}, base_url or settings.SARABAN_PUBLIC_URL or "http://127.0.0.1:8000")
    except SarabanError as exc:
        if not isinstance(exc, AlreadySigned):
            record_failure(actor, draft, exc)
        raise


def _sign(actor: Actor, draft: Draft, pins: Mapping[str, str], base_url: str) -> SignedRecord:
    draft = queries.draft_for(actor, draft.pk)
    if draft.status == DraftStatus.SIGNED:
        raise AlreadySigned()
    if draft.status != DraftStatus.APPROVED or draft.approved_version != draft.version:
        raise WrongState(details={"status": draft.status})
    if not policy.can_sign_draft(principal_for(actor), draft):
        raise SignerNotApproved(details={"draft": str(draft.pk)})
    build.agency_emblem(draft.agency, issuing=True)  # no real letter without the agency's Garuda
    content = queries.letter_of(queries.version(draft, draft.approved_version))
    signers = queries.signers(draft, day=clock.today())  # titles as on the signing date
    book = build.book_for(draft.kind_enum, circular=draft.circular)
    if book is not None:
        book = issuing.check_book(book, draft.secrecy)
        issuing.numbering_unit(draft.unit, book)
    opened = _keys(draft, signers, pins)
    job = signing_job.Job(draft, content, signers, opened, base_url, book, _signers_data(signers, opened))
    for _ in range(OPTIMISTIC_ATTEMPTS):
        result = _sign_once(job, _expected(job))
        try:
            with undo_scope():  # the files go again if keeping them fails
                return keep_signed(actor, job, result, signing_job.stage(job, result))
        except issuing.NumberMoved:
            continue
    return keep_signed_locked(actor, job, _sign_once)
