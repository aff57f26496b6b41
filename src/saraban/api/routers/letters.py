"""/api/v1/letters: register incoming letters, issue outgoing numbers, read letters and their files."""

from __future__ import annotations

import json
import uuid
from typing import TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from saraban.kernel.actions import undo_scope
from saraban.kernel.errors import InvalidInput
from saraban.kernel.validation import parse
from saraban.letters import queries as letter_queries
from saraban.letters.reads import record_read
from saraban.registry import actions as registry
from saraban.registry.models import RegisterEntry
from saraban.registry.validation import IncomingMetadata, OutgoingMetadata, PlaceholderMetadata
from saraban.storage import blobs
from saraban.storage.models import Blob

from .. import idempotency, serialize
from ..schemas import Error, LetterOut, RegisteredOut

router = Router(tags=["letters"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 413: Error, 415: Error, 422: Error,
          503: Error, 507: Error}
R = TypeVar("R", HttpResponse, StreamingHttpResponse)


def metadata_json(raw: str) -> dict:
    try:
        value = json.loads(raw)
    except (json.JSONDecodeError, TypeError) as exc:
        raise InvalidInput("metadata ต้องเป็น JSON ที่ถูกต้อง", "metadata must be valid JSON",
                           code="invalid_json") from exc
    if not isinstance(value, dict):
        raise InvalidInput("metadata ต้องเป็นออบเจกต์ JSON", "metadata must be a JSON object", code="invalid_json")
    return value


def read_upload(f: UploadedFile | None) -> registry.Upload | None:
    if f is None:
        return None
    return registry.Upload(data=f.read(), name=(f.name or "letter.pdf")[:255])


@router.post("/incoming", response={201: RegisteredOut, **ERRORS}, summary="Register an incoming letter")
def incoming(request: HttpRequest, file: UploadedFile = File(...), metadata: str = Form(...),
             enclosures: list[UploadedFile] | None = File(None)):
    raw = metadata_json(metadata)
    upload = read_upload(file)
    extra = [read_upload(f) for f in (enclosures or [])]
    parts = {"metadata": raw, "file": idempotency.file_digest(upload.data),
             "enclosures": [idempotency.file_digest(e.data) for e in extra]}
    meta = parse(IncomingMetadata, raw)
    classified = meta.secrecy not in ("normal", "top_secret")
    with undo_scope():  # the PDF is checked and stored before the transaction; a failure removes it again
        if meta.secrecy != "top_secret":
            upload = registry.prepare(upload, classified=classified)
            extra = [registry.prepare(e, classified=classified) for e in extra]

        def do() -> tuple[int, dict]:
            entry = registry.register_incoming(request.auth, meta, upload, enclosures=extra)
            return 201, json.loads(RegisteredOut(**serialize.registered(entry)).model_dump_json())

        return Status(*idempotency.run(request, parts, do))


@router.post("/outgoing", response={201: RegisteredOut, **ERRORS}, summary="Issue an outgoing number")
def outgoing(request: HttpRequest, metadata: str = Form(...), file: UploadedFile | None = File(None)):
    raw = metadata_json(metadata)
    upload = read_upload(file)
    parts = {"metadata": raw, "file": idempotency.file_digest(upload.data if upload else None)}

    def do() -> tuple[int, dict]:
        meta = parse(OutgoingMetadata, raw)
        entry = registry.issue_outgoing(request.auth, meta, upload)
        return 201, json.loads(RegisteredOut(**serialize.registered(entry)).model_dump_json())

    return Status(*idempotency.run(request, parts, do))


@router.post("/top-secret-placeholder", response={201: RegisteredOut, **ERRORS},
             summary="Record a ลับที่สุด letter handled outside the system (no content)")
def placeholder(request: HttpRequest, payload: PlaceholderMetadata):
    def do() -> tuple[int, dict]:
        entry = registry.record_top_secret_placeholder(request.auth, payload)
        return 201, json.loads(RegisteredOut(**serialize.registered(entry)).model_dump_json())

    return Status(*idempotency.run(request, {"payload": payload.model_dump(mode="json")}, do))


@router.get("/{letter_id}", response={200: LetterOut, **ERRORS}, summary="A letter with its registrations and files")
def get_letter(request: HttpRequest, letter_id: uuid.UUID):
    letter = letter_queries.letter_for(request.auth, letter_id)
    entries = list(RegisterEntry.objects.select_related("book__unit").filter(letter=letter).order_by("registered_at"))
    files = list(letter.files.select_related("blob").all())
    return Status(200, serialize.letter(letter, entries, files))


@router.get("/{letter_id}/files/{file_id}", response={200: None, **ERRORS}, summary="Download a file of a letter")
def get_file(request: HttpRequest, letter_id: uuid.UUID, file_id: uuid.UUID):
    f = letter_queries.file_for(request.auth, letter_id, file_id)
    record_read(request.auth, f.letter, f, via="api.download")
    return blob_response(f.blob, f.name, inline=request.GET.get("download") != "1")


def blob_response(blob: Blob, name: str, *, inline: bool = True) -> HttpResponse | StreamingHttpResponse:
    """A stored file as a download, after the caller's access check and classified-read logging.  Files up to
    ``SARABAN_STREAM_OVER_MB`` are read and checked first (a damaged one gives a coded error); larger ones stream,
    checked as they go (a damaged one is cut off before its last piece and recorded)."""
    if blob.size <= settings.SARABAN_STREAM_OVER_MB * 1024 * 1024:
        return file_response(blobs.read(blob), name, blob.content_type, blob.sha256, inline=inline)
    resp = StreamingHttpResponse(blobs.stream(blob), content_type=blob.content_type)
    resp["Content-Length"] = str(blob.size)
    return _file_headers(resp, name, blob.sha256, inline=inline)


def file_response(data: bytes, name: str, content_type: str, sha256: str, *, inline: bool = True) -> HttpResponse:
    return _file_headers(HttpResponse(data, content_type=content_type), name, sha256, inline=inline)


def _file_headers(resp: R, name: str, sha256: str, *, inline: bool) -> R:
    from urllib.parse import quote

    disposition = "inline" if inline else "attachment"
    resp["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(name)}"
    resp["X-Content-SHA256"] = sha256
    resp["Cache-Control"] = "private, no-store"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp
