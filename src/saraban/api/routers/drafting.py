"""/api/v1: drafts (create, edit, people, submit, review, comment, sign), signature validation and the
public verification endpoints.

People are named by username or person id.  Content is either the editor's ``fields`` (flat strings,
the body as plain text) or structured ``content`` (JSON of :mod:`saraban.letterpress.content`).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Status
from ninja.files import UploadedFile

from saraban.api.auth import caller
from saraban.drafting import actions, diff, queries, signing_flow, verification
from saraban.drafting.models import Draft, ParticipantRole
from saraban.drafting.preview import preview
from saraban.kernel.errors import InvalidInput, NotFound
from saraban.letters import queries as letter_queries
from saraban.letters.reads import record_read
from saraban.orgs.models import Person
from saraban.storage import blobs
from saraban.transport import once
from saraban.transport.http import public_base

from ..schemas import Error, file_body
from ..schemas.drafting import (
    CommentIn,
    CommentOut,
    ComparedOut,
    DecideIn,
    DiffOut,
    DraftCancelIn,
    DraftIn,
    DraftOut,
    DraftRowOut,
    FileReportOut,
    PeopleIn,
    PublicRecordOut,
    SaveIn,
    SignedOut,
    SignIn,
    ValidatedOut,
    VersionOut,
    VersionRowOut,
)

router = Router(tags=["drafting"], by_alias=True)  # DiffOut.from_ is "from"
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 413: Error, 422: Error, 500: Error,
          503: Error}


def _person(ref: str) -> Person:
    ref = (ref or "").strip()
    person = None
    try:
        person = Person.objects.select_related("user").filter(pk=uuid.UUID(ref)).first()
    except ValueError:
        person = Person.objects.select_related("user").filter(user__username=ref).first()
    if person is None:
        raise InvalidInput(f"ไม่พบบุคคล {ref}", f"No such person: {ref}", code="unknown_person",
                           details={"person": ref})
    return person


def _who(person: Person | None) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"id": str(person.pk), "username": person.user.username if person.user_id else None,
            "name": person.full_name_th}


def draft_out(draft: Draft) -> dict[str, Any]:
    version = queries.version(draft)
    record = queries.signed_record(draft)
    steps = queries.steps(draft, draft.round) if draft.round else []
    return {
        "id": str(draft.pk), "letter_uuid": str(draft.letter_uuid), "kind": draft.kind, "status": draft.status,
        "version": draft.version, "approved_version": draft.approved_version, "subject": draft.subject,
        "urgency": draft.urgency, "secrecy": draft.secrecy, "circular": draft.circular, "unit": draft.unit.code,
        "drafter": _who(draft.drafter), "preparer": _who(draft.preparer), "checker": _who(draft.checker),
        "content": version.content,
        "reviewers": [_who(p.person) for p in queries.participants(draft, ParticipantRole.REVIEWER)],
        "signers": [{**(_who(p.person) or {}), "mode": p.mode, "position": p.position}
                    for p in queries.participants(draft, ParticipantRole.SIGNER)],
        "round": draft.round,
        "steps": [{"order": s.order, "person": _who(s.person), "role": s.role, "state": s.state,
                   "version": s.version, "comment": s.comment, "diff": s.diff, "decided_at": s.decided_at}
                  for s in steps],
        "enclosures": [{"id": str(f.pk), "role": f.role, "name": f.name, "title": f.title, "order": f.order,
                        "sha256": f.blob.sha256, "size": f.blob.size, "content_type": f.blob.content_type,
                        "pages": f.pages, "url": f"/api/v1/drafts/{draft.pk}/enclosures/{f.pk}"}
                       for f in draft.enclosures.select_related("blob").order_by("order")],
        "letter_id": str(draft.letter_id) if draft.letter_id else None,
        "signed": signed_out(record) if record else None,
        "created_at": draft.created_at, "updated_at": draft.updated_at,
    }


def signed_out(record: Any) -> dict[str, Any]:
    return {
        "letter_id": str(record.letter_id), "number": record.number,
        "book": record.entry.book.kind if record.entry_id else None, "letter_date": record.letter_date,
        "sha256": record.sha256, "level": record.level, "pages": record.pages, "signed_at": record.signed_at,
        "verify_path": f"/verify/{record.token}", "signers": record.signers,
        "file_url": f"/api/v1/letters/{record.letter_id}/files/{record.signed_file_id}",
    }


def _json(data: Any) -> Any:
    """A JSON-safe copy (what an idempotent replay gives back)."""
    from ninja.responses import NinjaJSONEncoder

    return json.loads(json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False))


def _draft(request: HttpRequest, draft_id: uuid.UUID) -> Draft:
    return queries.draft_for(caller(request), draft_id)


@router.post("/drafts", response={201: DraftOut, **ERRORS}, summary="Start a draft")
def create(request: HttpRequest, payload: DraftIn):
    def do() -> Any:
        draft = actions.create_draft(caller(request), kind=payload.kind, unit=payload.unit, form=payload.fields,
                                     content=payload.content, circular=payload.circular)
        return _json(draft_out(draft))

    return once.api(request, payload.model_dump(mode="json"), do, 201)


@router.get("/drafts", response={200: list[DraftRowOut], **ERRORS}, summary="Drafts I take part in")
def list_drafts(request: HttpRequest, box: str = "all"):
    drafts = queries.drafts_for(caller(request), box)[:500]
    return Status(200, [{"id": str(d.pk), "kind": d.kind, "status": d.status, "subject": d.subject,
                         "version": d.version, "unit": d.unit.code, "updated_at": d.updated_at} for d in drafts])


@router.get("/drafts/{draft_id}", response={200: DraftOut, **ERRORS}, summary="A draft with its current content")
def get_draft(request: HttpRequest, draft_id: uuid.UUID):
    return Status(200, draft_out(_draft(request, draft_id)))


@router.put("/drafts/{draft_id}/content", response={200: DraftOut, **ERRORS}, summary="Save an edit (a new version)")
def save(request: HttpRequest, draft_id: uuid.UUID, payload: SaveIn):
    draft = _draft(request, draft_id)

    def do() -> Any:
        actions.save_version(caller(request), draft, base_version=payload.base_version, form=payload.fields,
                             content=payload.content, circular=payload.circular, note=payload.note)
        return _json(draft_out(queries.draft_for(caller(request), draft.pk)))

    return once.api(request, {"id": str(draft_id), **payload.model_dump(mode="json")}, do)


@router.put("/drafts/{draft_id}/people", response={200: DraftOut, **ERRORS},
            summary="Choose the typist, the reviewers and the signers (in order)")
def people(request: HttpRequest, draft_id: uuid.UUID, payload: PeopleIn):
    draft = _draft(request, draft_id)

    def do() -> Any:
        actions.set_people(
            caller(request), draft, reviewers=[_person(r) for r in payload.reviewers],
            signers=[actions.SignerChoice(_person(s.person), s.mode, s.position) for s in payload.signers],
            preparer=_person(payload.preparer) if payload.preparer else None,
        )
        return _json(draft_out(queries.draft_for(caller(request), draft.pk)))

    return once.api(request, {"id": str(draft_id), **payload.model_dump(mode="json")}, do)


@router.post("/drafts/{draft_id}/submit", response={200: DraftOut, **ERRORS}, summary="Submit for review")
def submit(request: HttpRequest, draft_id: uuid.UUID):
    draft = _draft(request, draft_id)

    def do() -> Any:
        actions.submit_checked(caller(request), draft)
        return _json(draft_out(queries.draft_for(caller(request), draft.pk)))

    return once.api(request, {"id": str(draft_id), "version": draft.version}, do)


@router.post("/drafts/{draft_id}/review", response={200: DraftOut, **ERRORS},
             summary="Pass on (approve) or return for revision (with a comment)")
def review(request: HttpRequest, draft_id: uuid.UUID, payload: DecideIn):
    draft = _draft(request, draft_id)

    def do() -> Any:
        actions.decide(caller(request), draft, decision=payload.decision, comment=payload.comment)
        return _json(draft_out(queries.draft_for(caller(request), draft.pk)))

    return once.api(request, {"id": str(draft_id), **payload.model_dump()}, do)


@router.post("/drafts/{draft_id}/comments", response={201: CommentOut, **ERRORS}, summary="Comment on a draft")
def comment(request: HttpRequest, draft_id: uuid.UUID, payload: CommentIn):
    draft = _draft(request, draft_id)

    def do() -> Any:
        c = actions.add_comment(caller(request), draft, payload.text)
        return _json({"id": str(c.pk), "version": c.version, "text": c.text, "created_at": c.created_at})

    return once.api(request, {"id": str(draft_id), **payload.model_dump()}, do, 201)


@router.post("/drafts/{draft_id}/cancel", response={200: DraftOut, **ERRORS}, summary="Cancel a draft")
def cancel(request: HttpRequest, draft_id: uuid.UUID, payload: DraftCancelIn):
    draft = _draft(request, draft_id)
    actions.cancel(caller(request), draft, payload.reason)
    return Status(200, draft_out(queries.draft_for(caller(request), draft.pk)))


@router.post("/drafts/{draft_id}/sign", response={201: SignedOut, **ERRORS},
             summary="Sign an approved draft: number, date, PAdES signature, sent register — all or nothing")
def sign(request: HttpRequest, draft_id: uuid.UUID, payload: SignIn):
    draft = _draft(request, draft_id)

    def do() -> Any:
        record = signing_flow.sign_draft(caller(request), draft, pins=payload.pins, base_url=public_base(request))
        record = queries.signed_record(record.draft)
        return _json(signed_out(record))

    # the PINs never enter the idempotency record
    return once.api(request, {"id": str(draft_id), "sign": draft.approved_version}, do, 201)


@router.get("/drafts/{draft_id}/versions", response={200: list[VersionRowOut], **ERRORS}, summary="All versions")
def versions(request: HttpRequest, draft_id: uuid.UUID):
    draft = _draft(request, draft_id)
    return Status(200, [{"number": v.number, "author": _who(v.author), "note": v.note, "created_at": v.created_at}
                        for v in draft.versions.select_related("author__user").order_by("number")])


@router.get("/drafts/{draft_id}/versions/{number}", response={200: VersionOut, **ERRORS}, summary="One version")
def get_version(request: HttpRequest, draft_id: uuid.UUID, number: int):
    v = queries.version(_draft(request, draft_id), number)
    return Status(200, {"number": v.number, "content": v.content, "note": v.note, "created_at": v.created_at})


@router.get("/drafts/{draft_id}/diff", response={200: DiffOut, **ERRORS}, summary="What changed between versions")
def get_diff(request: HttpRequest, draft_id: uuid.UUID, to: int, base: int | None = None):
    draft = _draft(request, draft_id)
    base = base if base is not None else to - 1
    old, new = queries.version(draft, base), queries.version(draft, to)
    text = diff.unified(queries.letter_of(old), queries.letter_of(new), old_label=f"v{base}", new_label=f"v{to}")
    return Status(200, {"from": base, "to": to, "diff": text})


@router.get("/drafts/{draft_id}/preview.pdf", response={200: None, **ERRORS}, summary="The current version as PDF",
            openapi_extra=file_body("application/pdf", description="The draft as it would print (no number, no date)"))
def preview_pdf(request: HttpRequest, draft_id: uuid.UUID):
    draft = _draft(request, draft_id)
    result = preview(draft, queries.letter_of(queries.version(draft)))
    if not result.pdf:
        p = result.problems[0]
        raise InvalidInput(p.th, p.en, code=p.code)
    return HttpResponse(result.pdf, content_type="application/pdf")


# --- signatures -------------------------------------------------------------------------------------


@router.post("/signatures/validate", response={200: ValidatedOut, **ERRORS}, summary="Validate any signed PDF")
def validate(request: HttpRequest, file: UploadedFile = File(...)):
    data = file.read()
    if len(data) > verification.MAX_UPLOAD:
        raise InvalidInput("ไฟล์ใหญ่เกิน 20 MB", "The file is larger than 20 MB", code="file_too_large")
    report = verification.validate(data)
    return Status(200, {**report.as_dict(), "text_th": report.text("th"), "text_en": report.text("en")})


@router.get("/signatures/letters/{letter_id}", response={200: list[FileReportOut], **ERRORS},
            summary="Validate the signed PDFs of a letter (ours or received)")
def letter_signatures(request: HttpRequest, letter_id: uuid.UUID):
    letter = letter_queries.letter_for(caller(request), letter_id)
    out = []
    for f in verification.files_to_check(list(letter.files.select_related("blob").order_by("created_at"))):
        record_read(caller(request), letter, f, via="api.signatures")
        report = verification.validate(blobs.read(f.blob))
        out.append({"file": str(f.pk), "role": f.role, "name": f.name, **report.as_dict()})
    return Status(200, out)


def _public(record: Any) -> dict[str, Any]:
    classified = verification.is_classified(record)
    data: dict[str, Any] = {
        "agency": record.letter.agency.name_th, "sha256": record.sha256, "signed_at": record.signed_at,
        "level": record.level, "classified": classified,
    }
    if classified:
        data["valid_when_signed"] = True
        return data
    live = verification.live_report(record)
    data.update(number=record.number, letter_date=record.letter_date, kind=record.letter.kind, pages=record.pages,
                signers=[s["name"] or "agency seal" for s in record.signers],
                valid=bool(live and live.valid),
                signatures=[{"signer": s.signer, "valid": s.valid, "time": s.signing_time,
                             "time_trusted": s.time_trusted, "level": s.level, "modified_after": s.modified_after}
                            for s in (live.signatures if live else ())])
    return data


@router.get("/verify/{token}", auth=None, response={200: PublicRecordOut, **ERRORS}, exclude_unset=True,
            summary="Public: a signed letter's hash, number, date and signature status (nothing secret)")
def verify(request: HttpRequest, token: str):
    record = verification.record_for_token(token)
    if record is None:
        raise NotFound("ไม่พบหนังสือตามรหัสตรวจสอบนี้", "No letter has this verification code", code="unknown_token")
    return Status(200, _public(record))


@router.post("/verify/{token}", auth=None, response={200: ComparedOut, **ERRORS}, exclude_unset=True,
             summary="Public: compare a PDF with the signed letter")
def verify_upload(request: HttpRequest, token: str, file: UploadedFile = File(...)):
    record = verification.record_for_token(token)
    if record is None:
        raise NotFound("ไม่พบหนังสือตามรหัสตรวจสอบนี้", "No letter has this verification code", code="unknown_token")
    data = file.read()
    if len(data) > verification.MAX_UPLOAD:
        raise InvalidInput("ไฟล์ใหญ่เกิน 20 MB", "The file is larger than 20 MB", code="file_too_large")
    cmp = verification.compare(record, data)
    out: dict[str, Any] = {"sha256": cmp.sha256, "matches": cmp.matches, "changed_after_signing": cmp.appended}
    if cmp.report is not None and not verification.is_classified(record):
        out["valid"] = cmp.report.valid
        out["report"] = cmp.report.as_dict()
    return Status(200, out)

