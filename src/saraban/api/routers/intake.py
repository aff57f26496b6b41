"""/api/v1/intake: letters that arrived and await registration."""

from __future__ import annotations

import json
import uuid

from django.http import HttpRequest
from ninja import Body, File, Form, Router, Status
from ninja.files import UploadedFile

from saraban.access.principal import principal_for
from saraban.intake import actions as intake
from saraban.intake import policy
from saraban.intake.models import IntakeFile, IntakeItem
from saraban.kernel.errors import NotFound
from saraban.kernel.validation import parse
from saraban.registry.validation import IntakeMetadata

from .. import idempotency, serialize
from ..schemas import Error, IntakeOut, RegisteredOut, RejectIn
from .letters import blob_response, metadata_json, read_upload

router = Router(tags=["intake"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 413: Error, 415: Error, 422: Error}


class IntakeNotFound(NotFound):
    code = "intake_not_found"
    message_th = "ไม่พบรายการรอลงทะเบียน"
    message_en = "Intake item not found"


def _item(request: HttpRequest, item_id: uuid.UUID) -> IntakeItem:
    item = IntakeItem.objects.select_related("unit").filter(pk=item_id).first()
    if item is None or not policy.can_view_intake(principal_for(request.auth), item.unit_id, item.secrecy):
        raise IntakeNotFound()
    return item


@router.get("", response={200: list[IntakeOut], **ERRORS},
            summary="Items awaiting registration, most urgent first, then by arrival time")
def list_intake(request: HttpRequest, limit: int = 200):
    limit = max(1, min(limit, 1000))
    items = intake.pending_q(request.auth).select_related("unit").prefetch_related("files__blob")[:limit]
    return Status(200, [serialize.intake(i) for i in items])


@router.post("", response={201: IntakeOut, **ERRORS}, summary="Put an uploaded letter in the queue")
def submit(request: HttpRequest, file: UploadedFile = File(...), metadata: str = Form("{}")):
    raw = metadata_json(metadata)
    upload = read_upload(file)

    def do() -> tuple[int, dict]:
        item = intake.submit(request.auth, parse(IntakeMetadata, raw), upload)
        return 201, json.loads(IntakeOut(**serialize.intake(item)).model_dump_json())

    return Status(*idempotency.run(request, {"metadata": raw, "file": idempotency.file_digest(upload.data)}, do))


@router.get("/{item_id}", response={200: IntakeOut, **ERRORS})
def get_item(request: HttpRequest, item_id: uuid.UUID):
    return Status(200, serialize.intake(_item(request, item_id)))


@router.get("/{item_id}/files/{file_id}", response={200: None, **ERRORS})
def get_item_file(request: HttpRequest, item_id: uuid.UUID, file_id: uuid.UUID):
    item = _item(request, item_id)
    f = IntakeFile.objects.select_related("blob").filter(pk=file_id, item=item).first()
    if f is None:
        raise IntakeNotFound()
    return blob_response(f.blob, f.name)


@router.post("/{item_id}/register", response={201: RegisteredOut, **ERRORS},
             summary="Register a queued item (optional metadata overrides)")
def register_item(request: HttpRequest, item_id: uuid.UUID, overrides: dict | None = Body(None)):
    item = _item(request, item_id)

    def do() -> tuple[int, dict]:
        entry = intake.register(request.auth, item, overrides or {})
        return 201, json.loads(RegisteredOut(**serialize.registered(entry)).model_dump_json())

    return Status(*idempotency.run(request, {"item": str(item_id), "overrides": overrides or {}}, do))


@router.post("/{item_id}/reject", response={200: IntakeOut, **ERRORS},
             summary="Return an item with a coded reason (a letter that came by SBX gets `rejected` back)")
def reject_item(request: HttpRequest, item_id: uuid.UUID, payload: RejectIn):
    item = _item(request, item_id)

    def do() -> tuple[int, dict]:
        done = intake.reject(request.auth, item, payload.reason, payload.reason_code)
        return 200, json.loads(IntakeOut(**serialize.intake(done)).model_dump_json())

    return Status(*idempotency.run(request, {"item": str(item_id), **payload.model_dump()}, do))
