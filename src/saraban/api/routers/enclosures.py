"""/api/v1/drafts/{id}/enclosures: a draft's enclosures — attach, list, download, reorder and retitle, remove.

Their titles are the draft's "สิ่งที่ส่งมาด้วย" lines (every change saves a new version); at signing they become
the letter's enclosures, byte for byte.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from saraban.api.auth import caller
from saraban.drafting import actions, queries
from saraban.drafting.models import Draft, DraftEnclosure
from saraban.kernel.errors import NotFound
from saraban.letters.enclosures import Upload
from saraban.storage import blobs
from saraban.transport import once
from saraban.transport.http import file_response

from ..schemas import Error, file_body
from ..schemas.enclosures import EnclosuresArrangeIn, PartOut

router = Router(tags=["drafting"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 413: Error, 415: Error, 422: Error}


def part_out(f: DraftEnclosure) -> dict[str, Any]:
    return {"id": str(f.pk), "role": f.role, "name": f.name, "title": f.title, "order": f.order,
            "sha256": f.blob.sha256, "size": f.blob.size, "content_type": f.blob.content_type, "pages": f.pages,
            "url": f"/api/v1/drafts/{f.draft_id}/enclosures/{f.pk}"}


def _listed(draft: Draft) -> list[dict[str, Any]]:
    return [part_out(f) for f in draft.enclosures.select_related("blob").order_by("order")]


@router.post("/drafts/{draft_id}/enclosures", response={201: PartOut, **ERRORS},
             summary="Attach an enclosure to a draft (its title becomes a สิ่งที่ส่งมาด้วย line)")
def attach(request: HttpRequest, draft_id: uuid.UUID, file: UploadedFile = File(...), title: str = Form("")):
    draft = queries.draft_for(caller(request), draft_id)
    upload = Upload(data=file.read(), name=(file.name or "enclosure")[:255], title=title)

    def do() -> dict[str, Any]:
        added = actions.attach(caller(request), draft, [upload])
        return part_out(added[0])

    return once.api(request, {"draft": str(draft_id), "file": once.file_digest(upload.data), "title": title}, do,
                    201)


@router.get("/drafts/{draft_id}/enclosures", response={200: list[PartOut], **ERRORS},
            summary="A draft's enclosures, in order")
def list_enclosures(request: HttpRequest, draft_id: uuid.UUID):
    return Status(200, _listed(queries.draft_for(caller(request), draft_id)))


@router.put("/drafts/{draft_id}/enclosures", response={200: list[PartOut], **ERRORS},
            summary="Reorder and retitle a draft's enclosures")
def arrange(request: HttpRequest, draft_id: uuid.UUID, payload: EnclosuresArrangeIn):
    draft = queries.draft_for(caller(request), draft_id)

    def do() -> list[dict[str, Any]]:
        actions.arrange_enclosures(caller(request), draft, order=payload.order, titles=payload.titles)
        return _listed(draft)

    return once.api(request, {"draft": str(draft_id), **payload.model_dump(mode="json")}, do)


@router.delete("/drafts/{draft_id}/enclosures/{enclosure_id}", response={200: list[PartOut], **ERRORS},
               summary="Take an enclosure off a draft")
def detach(request: HttpRequest, draft_id: uuid.UUID, enclosure_id: uuid.UUID):
    draft = queries.draft_for(caller(request), draft_id)

    def do() -> list[dict[str, Any]]:
        actions.detach(caller(request), draft, enclosure_id)
        return _listed(draft)

    return once.api(request, {"draft": str(draft_id), "detach": str(enclosure_id)}, do)


@router.get("/drafts/{draft_id}/enclosures/{enclosure_id}", response={200: None, **ERRORS},
            summary="Download an enclosure of a draft",
            openapi_extra=file_body("application/octet-stream", description="The file's bytes (its SHA-256 in "
                                    "X-Content-SHA256)"))
def download(request: HttpRequest, draft_id: uuid.UUID, enclosure_id: uuid.UUID):
    draft = queries.draft_for(caller(request), draft_id)
    f = draft.enclosures.select_related("blob").filter(pk=enclosure_id).first()
    if f is None:
        raise NotFound("ไม่พบสิ่งที่ส่งมาด้วยนี้", "Enclosure not found", code="enclosure_not_found")
    return file_response(blobs.read(f.blob), f.name, f.blob.content_type, f.blob.sha256,
                         inline=request.GET.get("download") != "1")
