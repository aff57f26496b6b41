"""/api/v1/letters: register incoming letters, issue outgoing numbers, read letters and their files."""

from __future__ import annotations

import json
import uuid

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from saraban.api.auth import caller
from saraban.kernel.actions import undo_scope
from saraban.kernel.errors import InvalidInput
from saraban.kernel.validation import parse
from saraban.letters import enclosures as enclosure_checks
from saraban.letters import queries as letter_queries
from saraban.letters.reads import record_read
from saraban.registry import actions as registry
from saraban.registry.models import RegisterEntry
from saraban.registry.validation import IncomingMetadata, OutgoingMetadata, PlaceholderMetadata
from saraban.storage import blobs
from saraban.transport import once
from saraban.transport.http import file_response

from .. import serialize
from ..schemas import Error, LetterOut, RegisteredOut, file_body

router = Router(tags=["letters"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 413: Error, 415: Error, 422: Error}


def metadata_json(raw: str) -> dict:
    try:
        value = json.loads(raw)
    except (json.JSONDecodeError, TypeError) as exc:
        raise InvalidInput("metadata ต้องเป็น JSON ที่ถูกต้อง", "metadata must be valid JSON",
                           code="invalid_json") from exc
    if not isinstance(value, dict):
        raise InvalidInput("metadata ต้องเป็นออบเจกต์ JSON", "metadata must be a JSON object", code="invalid_json")
    return value


def read_upload(f: UploadedFile | None, title: str = "") -> registry.Upload | None:
    if f is None:
        return None
    return registry.Upload(data=f.read(), name=(f.name or "letter.pdf")[:255], title=title)


def titles_json(raw: str | None, count: int) -> list[str]:
    """``enclosure_titles``: a JSON list of the enclosures' สิ่งที่ส่งมาด้วย lines, in the files' order."""
    if not raw:
        return [""] * count
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidInput("enclosure_titles ต้องเป็นรายการ JSON", "enclosure_titles must be a JSON list",
                           code="invalid_json") from exc
    if not isinstance(value, list) or len(value) > count or not all(isinstance(t, str) for t in value):
        raise InvalidInput("enclosure_titles ต้องเป็นรายการข้อความไม่เกินจำนวนไฟล์สิ่งที่ส่งมาด้วย",
                           "enclosure_titles must be a list of strings, at most one per enclosure",
                           code="invalid_enclosure_titles")
    return value + [""] * (count - len(value))


def read_enclosures(files: list[UploadedFile] | None, titles: str | None) -> list[registry.Upload]:
    files = files or []
    return [u for f, t in zip(files, titles_json(titles, len(files)), strict=True) if (u := read_upload(f, t))]


ENCLOSURES_DOC = ("extra multipart `enclosures` files (any common office type; never empty, a program or a web "
                  "page), and optionally `enclosure_titles`, a JSON list of their สิ่งที่ส่งมาด้วย lines")


@router.post("/incoming", response={201: RegisteredOut, **ERRORS}, summary="Register an incoming letter",
             description=f"`file` is the letter (PDF), `metadata` its registration fields; {ENCLOSURES_DOC}.")
def incoming(request: HttpRequest, file: UploadedFile = File(...), metadata: str = Form(...),
             enclosures: list[UploadedFile] | None = File(None), enclosure_titles: str | None = Form(None)):
    raw = metadata_json(metadata)
    upload = read_upload(file)
    extra = read_enclosures(enclosures, enclosure_titles)
    parts = {"metadata": raw, "file": once.file_digest(upload.data),
             "enclosures": [[once.file_digest(e.data), e.title] for e in extra]}
    meta = parse(IncomingMetadata, raw)
    classified = meta.secrecy not in ("normal", "top_secret")
    with undo_scope():  # the files are checked and stored before the transaction; a failure removes them again
        if meta.secrecy != "top_secret":
            upload, extra = enclosure_checks.prepare_all(upload, extra, classified=classified)

        def do() -> dict:
            entry = registry.register_incoming(caller(request), meta, upload, enclosures=extra)
            return json.loads(RegisteredOut(**serialize.registered(entry)).model_dump_json())

        return once.api(request, parts, do, 201)


@router.post("/outgoing", response={201: RegisteredOut, **ERRORS}, summary="Issue an outgoing number",
             description=f"`metadata` gives the register fields; `file` the letter's PDF (or attach it later); "
                         f"{ENCLOSURES_DOC}.")
def outgoing(request: HttpRequest, metadata: str = Form(...), file: UploadedFile | None = File(None),
             enclosures: list[UploadedFile] | None = File(None), enclosure_titles: str | None = Form(None)):
    raw = metadata_json(metadata)
    upload = read_upload(file)
    extra = read_enclosures(enclosures, enclosure_titles)
    parts = {"metadata": raw, "file": once.file_digest(upload.data if upload else None),
             "enclosures": [[once.file_digest(e.data), e.title] for e in extra]}

    def do() -> dict:
        meta = parse(OutgoingMetadata, raw)
        entry = registry.issue_outgoing(caller(request), meta, upload, enclosures=extra)
        return json.loads(RegisteredOut(**serialize.registered(entry)).model_dump_json())

    return once.api(request, parts, do, 201)


@router.post("/top-secret-placeholder", response={201: RegisteredOut, **ERRORS},
             summary="Record a ลับที่สุด letter handled outside the system (no content)")
def placeholder(request: HttpRequest, payload: PlaceholderMetadata):
    def do() -> dict:
        entry = registry.record_top_secret_placeholder(caller(request), payload)
        return json.loads(RegisteredOut(**serialize.registered(entry)).model_dump_json())

    return once.api(request, {"payload": payload.model_dump(mode="json")}, do, 201)


@router.get("/{letter_id}", response={200: LetterOut, **ERRORS}, summary="A letter with its registrations and files")
def get_letter(request: HttpRequest, letter_id: uuid.UUID):
    letter = letter_queries.letter_for(caller(request), letter_id)
    entries = list(RegisterEntry.objects.select_related("book__unit").filter(letter=letter).order_by("registered_at"))
    files = list(letter.files.select_related("blob").order_by("order", "created_at"))
    return Status(200, serialize.letter(letter, entries, files))


@router.get("/{letter_id}/files/{file_id}", response={200: None, **ERRORS}, summary="Download a file of a letter",
            openapi_extra=file_body("application/pdf", "application/octet-stream", description="The file's bytes "
                                    "(its SHA-256 in X-Content-SHA256); ?download=1 to save rather than show"))
def get_file(request: HttpRequest, letter_id: uuid.UUID, file_id: uuid.UUID):
    f = letter_queries.file_for(caller(request), letter_id, file_id)
    record_read(caller(request), f.letter, f, via="api.download")
    return file_response(blobs.read(f.blob), f.name, f.blob.content_type, f.blob.sha256,
                         inline=request.GET.get("download") != "1")
