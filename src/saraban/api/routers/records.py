"""/api/v1/records: the file plan, filing letters, the yearly destruction list and its steps, and the 20-year
handover (lists and the BagIt package).  Mutating calls honour ``Idempotency-Key``."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Status
from ninja.files import UploadedFile

from saraban.api.auth import caller
from saraban.kernel.errors import NotFound
from saraban.letters.queries import letter_for
from saraban.letters.reads import record_read
from saraban.orgs.models import Agency, Person
from saraban.records import queries
from saraban.records import stamp as keep_stamp
from saraban.records.actions import destruction as d
from saraban.records.actions import fileplan
from saraban.records.actions.filing import file_letter
from saraban.records.actions.handover import export_zip
from saraban.records.models import DestructionList, FileCode, Filing
from saraban.records.policy import agencies_for
from saraban.transport import once
from saraban.transport.http import content_disposition

from ..schemas import Error, file_body
from ..schemas.records import (
    CommitteeIn,
    DecisionsIn,
    FadReplyIn,
    FileCodeOut,
    FilePlanIn,
    FilingIn,
    FilingOut,
    HandoverOut,
    ListIn,
    ListOut,
    SavedCodesOut,
    SendIn,
)

router = Router(tags=["records"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}
CLASSIFIED = "(หนังสือลับ)"


def _json(data: Any) -> Any:
    return json.loads(json.dumps(data, default=str, ensure_ascii=False))


def _agency(request: HttpRequest, code: str = "") -> Agency:
    for a in agencies_for(caller(request)):
        if not code or a.code == code:
            return a
    raise NotFound("ไม่พบส่วนราชการที่ท่านดูแลงานเก็บรักษา", "No agency whose records you keep")


def _list(request: HttpRequest, list_id: uuid.UUID) -> DestructionList:
    dl = DestructionList.objects.filter(pk=list_id).select_related("agency").first()
    user = caller(request)
    if dl is None or (dl.agency not in agencies_for(user) and not dl.committee.filter(person__user=user).exists()):
        raise NotFound()
    return dl


def filing_out(f: Filing) -> dict[str, Any]:
    return {"id": f.pk, "letter_id": f.letter_id, "file_code": f.file_code.code, "retention": f.retention,
            "keep_until_be": f.keep_until_be, "stamp": keep_stamp.stamp_text(f.keep_until_be),
            "completed_on": f.completed_on, "authorisation": f.authorisation, "state": f.state,
            "stamped_copy": f.stamped_copy_id, "destroyed_at": f.destroyed_at,
            "destruction_list": f.destruction_list_id}


def list_out(dl: DestructionList) -> dict[str, Any]:
    items = [{"id": i.pk, "order": i.order, "filing_id": i.filing_id, "letter_id": i.filing.letter_id,
              "file_code": i.filing.file_code.code, "ref": i.filing.letter.their_ref,
              "letter_date": i.filing.letter.letter_date,
              "subject": CLASSIFIED if i.filing.letter.is_classified else i.filing.letter.subject,
              "decision": i.decision, "new_keep_until_be": i.new_keep_until_be, "remark": i.remark,
              "destroyed_at": i.destroyed_at}
             for i in dl.items.select_related("filing__letter", "filing__file_code")]
    committee = [{"person": m.person_id, "name": m.person.full_name_th, "role": m.role, "signed_at": m.signed_at,
                  "record_signed_at": m.record_signed_at} for m in dl.committee.select_related("person")]
    return _json({"id": dl.pk, "agency": dl.agency.code, "year_be": dl.year_be, "state": dl.state,
                  "due_by": dl.due_by, "late": dl.late, "order_ref": dl.order_ref, "approved_at": dl.approved_at,
                  "sent_on": dl.sent_on, "consent_on": dl.consent_on, "destroyed_at": dl.destroyed_at,
                  "items": items, "committee": committee})


# ---- the file plan ----------------------------------------------------------------------------------

@router.get("/file-plan", response={200: list[FileCodeOut], **ERRORS}, summary="The agency's file plan, in tree order")
def file_plan(request: HttpRequest, agency: str = ""):
    nodes = queries.file_plan(_agency(request, agency))
    return Status(200, [{"id": n.code.pk, "depth": n.depth, "code": n.code.code, "title_th": n.code.title_th,
                         "title_en": n.code.title_en, "parent": n.code.parent.code if n.code.parent else "",
                         "retention": n.code.retention, "special_years": n.code.special_years,
                         "special_law": n.code.special_law, "basis": n.code.basis} for n in nodes])


@router.post("/file-plan", response={200: SavedCodesOut, **ERRORS}, summary="Create or change file codes (by code)")
def save_plan(request: HttpRequest, payload: FilePlanIn, agency: str = ""):
    ag = _agency(request, agency)
    rows = [fileplan.CodeRow(**c.model_dump()) for c in payload.codes]
    return once.api(request, {"plan": ag.code, "payload": payload.model_dump(mode="json")},
                    lambda: fileplan.save_file_codes(caller(request), ag, rows, source="api"))


@router.post("/file-plan/import", response={200: SavedCodesOut, **ERRORS}, summary="Import a file plan (CSV or JSON)")
def import_plan(request: HttpRequest, file: UploadedFile = File(...), agency: str = ""):
    ag = _agency(request, agency)
    data, name = file.read(), file.name or ""
    return once.api(request, {"plan-import": ag.code, "file": once.file_digest(data)},
                    lambda: fileplan.save_file_codes(caller(request), ag, fileplan.parse(data, name), source="import"))


@router.get("/file-plan/export.{fmt}", response={200: None, **ERRORS}, summary="Export the file plan (csv or json)",
            openapi_extra=file_body("text/csv", description="The file plan as CSV (export.json: the same as JSON)"))
def export_plan(request: HttpRequest, fmt: str, agency: str = ""):
    if fmt not in ("csv", "json"):
        raise NotFound()
    ag = _agency(request, agency)
    resp = HttpResponse(fileplan.export(ag, fmt), content_type="text/csv" if fmt == "csv" else "application/json")
    resp["Content-Disposition"] = content_disposition(f"แผนแฟ้ม {ag.name_th}.{fmt}",
                                                      fallback=f"file-plan-{ag.code}.{fmt}")
    return resp


# ---- filing -----------------------------------------------------------------------------------------

@router.post("/letters/{letter_id}/filing", response={201: FilingOut, **ERRORS},
             summary="File a completed letter under a file code with a retention class (R38–R39)")
def file(request: HttpRequest, letter_id: uuid.UUID, payload: FilingIn):
    user = caller(request)
    letter = letter_for(user, letter_id)
    # the letter's own agency's code; else one of another agency the caller keeps (refused as foreign_file_code)
    code = (FileCode.objects.filter(code=payload.file_code, agency=letter.agency).first()
            or FileCode.objects.filter(code=payload.file_code, agency__in=agencies_for(user)).first())
    if code is None:
        raise NotFound("ไม่พบรหัสแฟ้ม", "Unknown file code")

    def fn() -> Any:
        f = file_letter(user, letter, code, retention=payload.retention, special_years=payload.special_years,
                        special_law=payload.special_law, completed_on=payload.completed_on,
                        authorisation=payload.authorisation, authorised_by=payload.authorised_by,
                        remark=payload.remark)
        return _json(filing_out(f))

    return once.api(request, {"filing": str(letter_id), "payload": payload.model_dump(mode="json")}, fn, 201)


@router.get("/letters/{letter_id}/filing", response={200: FilingOut, **ERRORS}, summary="How a letter is kept")
def filing(request: HttpRequest, letter_id: uuid.UUID):
    letter = letter_for(caller(request), letter_id)
    f = Filing.objects.filter(letter=letter).select_related("file_code").first()
    if f is None:
        raise NotFound("หนังสือนี้ยังไม่ได้จัดเก็บ", "This letter is not filed")
    record_read(caller(request), letter, via="api.records.filing", role="filing")
    return Status(200, _json(filing_out(f)))


# ---- destruction ------------------------------------------------------------------------------------

@router.get("/destruction-lists", response={200: list[ListOut], **ERRORS}, summary="Destruction lists (form 25)")
def lists(request: HttpRequest, agency: str = ""):
    return Status(200, [list_out(dl) for dl in queries.lists(_agency(request, agency))])


@router.post("/destruction-lists", response={201: ListOut, **ERRORS},
             summary="Make the year's destruction list (after 31 December; within 60 days is on time)")
def make_list(request: HttpRequest, payload: ListIn):
    ag = _agency(request, payload.agency)
    return once.api(request, {"list": ag.code, "year": payload.year_be},
                    lambda: list_out(d.make_destruction_list(caller(request), ag, payload.year_be)), 201)


@router.get("/destruction-lists/{list_id}", response={200: ListOut, **ERRORS}, summary="One destruction list")
def one_list(request: HttpRequest, list_id: uuid.UUID):
    return Status(200, list_out(_list(request, list_id)))


def _step(request: HttpRequest, list_id: uuid.UUID, step: str, act: Any, payload: Any = None) -> Status:
    dl = _list(request, list_id)
    parts = {"list": str(list_id), "step": step, "payload": payload.model_dump(mode="json") if payload else None}

    def fn() -> Any:
        act(dl)
        return list_out(DestructionList.objects.get(pk=dl.pk))

    return once.api(request, parts, fn)


@router.post("/destruction-lists/{list_id}/committee", response={200: ListOut, **ERRORS},
             summary="The head appoints the committee: chair + at least 2 members")
def appoint(request: HttpRequest, list_id: uuid.UUID, payload: CommitteeIn):
    people = {p.pk: p for p in Person.objects.filter(pk__in=[payload.chair, *payload.members])}
    if payload.chair not in people or any(m not in people for m in payload.members):
        raise NotFound("ไม่พบบุคคลที่ระบุ", "Unknown person")
    members = [people[m] for m in payload.members]
    return _step(request, list_id, "appoint", lambda dl: d.appoint_committee(
        caller(request), dl, people[payload.chair], members, payload.order_ref), payload)


@router.post("/destruction-lists/{list_id}/decisions", response={200: ListOut, **ERRORS},
             summary="A committee member marks items destroy or keep (with a new keep-until year)")
def decide(request: HttpRequest, list_id: uuid.UUID, payload: DecisionsIn):
    decisions = {str(x.item): x.decision for x in payload.decisions}
    until = {str(x.item): x.keep_until_be for x in payload.decisions if x.keep_until_be}
    remarks = {str(x.item): x.remark for x in payload.decisions if x.remark}
    return _step(request, list_id, "decide", lambda dl: d.decide_items(
        caller(request), dl, decisions, new_keep_until=until, remarks=remarks), payload)


@router.post("/destruction-lists/{list_id}/signatures", response={200: ListOut, **ERRORS},
             summary="A committee member signs the list")
def sign(request: HttpRequest, list_id: uuid.UUID):
    return _step(request, list_id, "sign", lambda dl: d.sign_list(caller(request), dl))


@router.post("/destruction-lists/{list_id}/approval", response={200: ListOut, **ERRORS},
             summary="The head approves the signed list")
def approve(request: HttpRequest, list_id: uuid.UUID):
    return _step(request, list_id, "approve", lambda dl: d.approve_list(caller(request), dl))


@router.post("/destruction-lists/{list_id}/sent", response={200: ListOut, **ERRORS},
             summary="Sent to the Fine Arts Department: destroyable after 60 days' silence")
def send(request: HttpRequest, list_id: uuid.UUID, payload: SendIn):
    return _step(request, list_id, "send", lambda dl: d.send_list(caller(request), dl, payload.sent_on, payload.ref),
                 payload)


@router.post("/destruction-lists/{list_id}/reply", response={200: ListOut, **ERRORS},
             summary="The Fine Arts Department's reply (agreement; items it asks to keep)")
def reply(request: HttpRequest, list_id: uuid.UUID, payload: FadReplyIn):
    return _step(request, list_id, "reply", lambda dl: d.record_fad_reply(
        caller(request), dl, payload.replied_on, keep=payload.keep), payload)


@router.post("/destruction-lists/{list_id}/destruction", response={200: ListOut, **ERRORS},
             summary="Destroy the items marked destroy: content, copies, backups and keys; tombstones stay")
def destroy(request: HttpRequest, list_id: uuid.UUID):
    return _step(request, list_id, "destroy", lambda dl: d.destroy(caller(request), dl))


@router.post("/destruction-lists/{list_id}/record-signatures", response={200: ListOut, **ERRORS},
             summary="A committee member signs the destruction record")
def sign_record(request: HttpRequest, list_id: uuid.UUID):
    return _step(request, list_id, "sign_record", lambda dl: d.sign_record(caller(request), dl))


# ---- the 20-year handover ---------------------------------------------------------------------------

@router.get("/handover/{year_be}", response={200: HandoverOut, **ERRORS},
            summary="Letters reaching 20 years: to deliver (form 21) and to keep (form 22)")
def handover(request: HttpRequest, year_be: int, agency: str = ""):
    deliver, keep = queries.handover(_agency(request, agency), year_be)

    def rows(fs: list[Filing]) -> list[dict[str, Any]]:
        return [{"filing_id": f.pk, "letter_id": f.letter_id, "file_code": f.file_code.code, "ref": f.letter.their_ref,
                 "letter_date": f.letter.letter_date,
                 "subject": CLASSIFIED if f.letter.is_classified else f.letter.subject} for f in fs]

    return Status(200, _json({"year_be": year_be, "deliver": rows(deliver), "keep": rows(keep)}))


@router.post("/handover/{year_be}/package", response={200: None, **ERRORS},
             summary="Export the archival package (BagIt zip: PDF/A, originals, metadata JSON + CSV, checksums)",
             openapi_extra=file_body("application/zip", description="The BagIt bag, zipped"))
def package(request: HttpRequest, year_be: int, agency: str = ""):
    ag = _agency(request, agency)
    data, name = export_zip(caller(request), ag, year_be)
    resp = HttpResponse(data, content_type="application/zip")
    resp["Content-Disposition"] = content_disposition(f"{name}.zip")
    return resp
