"""/api/v1/intake: letters that arrived and await registration."""

from __future__ import annotations

import json
import uuid

from django.http import HttpRequest
from ninja import Body, File, Form, Router, Status
from ninja.files import UploadedFile

from saraban.access.principal import principal_for
from saraban.api.auth import caller
from saraban.intake import actions as intake
from saraban.intake import policy
from saraban.intake.models import IntakeFile, IntakeItem
from saraban.kernel.errors import NotFound
from saraban.kernel.validation import parse
from saraban.registry.validation import IntakeMetadata
from saraban.storage import blobs
from saraban.transport import once
from saraban.transport.http import file_response

from .. import serialize
from ..schemas import ArrangeIn, Error, IntakeOut, RegisteredOut, RejectIn, file_body
from .letters import ENCLOSURES_DOC, metadata_json, read_enclosures, read_upload

router = Router(tags=["intake"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 413: Error, 415: Error, 422: Error}


class IntakeNotFound(NotFound):
    code = "intake_not_found"
    message_th = "ไม่พบรายการรอลงทะเบียน"
    message_en = "Intake item not found"


def _item(request: HttpRequest, item_id: uuid.UUID) -> IntakeItem:
    item = IntakeItem.objects.select_related("unit").filter(pk=item_id).first()
    if item is None or not policy.can_view_intake(principal_for(caller(request)), item.unit_id, item.secrecy):
        raise IntakeNotFound()
    return item


@router.get("", response={200: list[IntakeOut], **ERRORS},
            summary="Items awaiting registration, most urgent first, then by arrival time")
def list_intake(request: HttpRequest, limit: int = 200):
    limit = max(1, min(limit, 1000))
    items = intake.pending_q(caller(request)).select_related("unit").prefetch_related("files__blob")[:limit]
    return Status(200, [serialize.intake(i) for i in items])


@router.post("", response={201: IntakeOut, **ERRORS}, summary="Put an uploaded letter in the queue",
             description=f"`file` is the letter (PDF); {ENCLOSURES_DOC}.  They become one item.")
def submit(request: HttpRequest, file: UploadedFile = File(...), metadata: str = Form("{}"),
           enclosures: list[UploadedFile] | None = File(None), enclosure_titles: str | None = Form(None)):
    raw = metadata_json(metadata)
    upload = read_upload(file)
    extra = read_enclosures(enclosures, enclosure_titles)

    def do() -> dict:
        item = intake.submit(caller(request), parse(IntakeMetadata, raw), upload, attachments=extra)
        return json.loads(IntakeOut(**serialize.intake(item)).model_dump_json())

    parts = {"metadata": raw, "file": once.file_digest(upload.data),
             "enclosures": [[once.file_digest(e.data), e.title] for e in extra]}
    return once.api(request, parts, do, 201)


@router.put("/{item_id}/files", response={200: IntakeOut, **ERRORS},
            summary="Reorder a queued item's files, choose which one is the letter, title the enclosures")
def arrange_files(request: HttpRequest, item_id: uuid.UUID, payload: ArrangeIn):
    item = _item(request, item_id)

    def do() -> dict:
        intake.arrange(caller(request), item, order=payload.order, letter=payload.letter, titles=payload.titles)
        return json.loads(IntakeOut(**serialize.intake(_item(request, item_id))).model_dump_json())

    return once.api(request, {"item": str(item_id), **payload.model_dump(mode="json")}, do)


@router.get("/{item_id}", response={200: IntakeOut, **ERRORS}, summary="A queued item")
def get_item(request: HttpRequest, item_id: uuid.UUID):
    return Status(200, serialize.intake(_item(request, item_id)))


@router.get("/{item_id}/files/{file_id}", response={200: None, **ERRORS}, summary="A file of a queued item",
            openapi_extra=file_body("application/pdf", description="The file's bytes (SHA-256 in X-Content-SHA256)"))
def get_item_file(request: HttpRequest, item_id: uuid.UUID, file_id: uuid.UUID):
    item = _item(request, item_id)
    f = IntakeFile.objects.select_related("blob").filter(pk=file_id, item=item).first()
    if f is None:
        raise IntakeNotFound()
    return file_response(blobs.read(f.blob), f.name, f.blob.content_type, f.blob.sha256,
                         inline=request.GET.get("download") != "1")


@router.post("/{item_id}/register", response={201: RegisteredOut, **ERRORS},
             summary="Register a queued item (optional metadata overrides)")
def register_item(request: HttpRequest, item_id: uuid.UUID, overrides: dict | None = Body(None)):
    item = _item(request, item_id)

    def do() -> dict:
        entry = intake.register(caller(request), item, overrides or {})
        return json.loads(RegisteredOut(**serialize.registered(entry)).model_dump_json())

    return once.api(request, {"item": str(item_id), "overrides": overrides or {}}, do, 201)


@router.post("/{item_id}/reject", response={200: IntakeOut, **ERRORS},
             summary="Return an item with a coded reason (a letter that came by SBX gets `rejected` back)")
def reject_item(request: HttpRequest, item_id: uuid.UUID, payload: RejectIn):
    item = _item(request, item_id)

    def do() -> dict:
        done = intake.reject(caller(request), item, payload.reason, payload.reason_code)
        return json.loads(IntakeOut(**serialize.intake(done)).model_dump_json())

    return once.api(request, {"item": str(item_id), **payload.model_dump()}, do)
