"""/api/v1/registers and /api/v1/registrations: register books, entries, cancelling, exports."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from saraban.api.auth import caller
from saraban.letters.reads import record_read
from saraban.registry import actions as registry
from saraban.registry.queries import RegisterFilter, books_for, entry_for, open_register
from saraban.reports import registers as report
from saraban.transport import limits, once
from saraban.transport.http import content_disposition

from .. import serialize
from ..schemas import BookOut, CancelIn, Error, RegisterOut, RegistrationOut, file_body

router = Router(tags=["registers"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


class RegisterQuery(Schema):
    unit: str | None = None
    q: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    urgency: str = ""
    cancelled: bool | None = None


def _open(request: HttpRequest, book: str, year: int, params: RegisterQuery):
    flt = RegisterFilter(q=params.q, date_from=params.date_from, date_to=params.date_to, urgency=params.urgency,
                         cancelled=params.cancelled)
    return open_register(caller(request), book, year, params.unit, flt)


@router.get("/registers", response={200: list[BookOut], **ERRORS}, summary="Register books you may open")
def list_books(request: HttpRequest):
    return Status(200, books_for(caller(request)))


@router.get("/registers/{book}/{year}", response={200: RegisterOut, **ERRORS},
            summary="Entries of a register book in number order (year in B.E.)")
def get_register(request: HttpRequest, book: str, year: int, params: Query[RegisterQuery]):
    if (params.q or "").strip():
        limits.check(request, "search")
    reg = _open(request, book, year, params)
    entries = list(reg.entries)
    record_read(caller(request), None, via="api.register", role="listing", listed=entries)
    return Status(200, {
        "book": reg.kind, "book_name": reg.kind_label, "year": reg.year_be, "unit": reg.unit.code,
        "unit_name": reg.unit.name_th, "last_number": reg.book.last_number if reg.book else 0,
        "entries": [serialize.entry_row(e) for e in entries],
    })


@router.get("/registers/{book}/{year}/export.{fmt}", response={200: None, **ERRORS},
            summary="Export a register as csv, xlsx or pdf (official layout)",
            openapi_extra=file_body("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                    "application/pdf", description="The register as a file to save"))
def export_register(request: HttpRequest, book: str, year: int, fmt: str, params: Query[RegisterQuery]):
    limits.check(request, "export")
    reg = _open(request, book, year, params)
    name, fallback = report.export_name(reg), f"register-{reg.unit.code}-{book}-{year}"
    if fmt in ("csv", "xlsx", "pdf"):
        record_read(caller(request), None, via=f"api.export.{fmt}", role="export", listed=reg.entries)
    if fmt == "csv":
        data, ctype = report.to_csv(reg), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        data, ctype = report.to_xlsx(reg), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "pdf":
        data, ctype = report.to_pdf(reg, digit_style=reg.unit.agency.digit_style), "application/pdf"
    else:
        from saraban.kernel.errors import InvalidInput

        raise InvalidInput("รูปแบบไฟล์ต้องเป็น csv, xlsx หรือ pdf", "Format must be csv, xlsx or pdf",
                           code="unknown_format")
    resp = HttpResponse(data, content_type=ctype)
    resp["Content-Disposition"] = content_disposition(f"{name}.{fmt}", fallback=f"{fallback}.{fmt}")
    return resp


@router.get("/registrations/{entry_id}", response={200: RegistrationOut, **ERRORS}, summary="A registration")
def get_registration(request: HttpRequest, entry_id: uuid.UUID):
    entry = entry_for(caller(request), entry_id)
    record_read(caller(request), entry.letter, via="api.registration", role="metadata")
    return Status(200, serialize.registration(entry))


@router.post("/registrations/{entry_id}/cancel", response={200: RegistrationOut, **ERRORS},
             summary="Cancel a registration; the number stays in the book, marked cancelled")
def cancel(request: HttpRequest, entry_id: uuid.UUID, payload: CancelIn):
    entry = entry_for(caller(request), entry_id)

    def do() -> dict:
        done = registry.cancel_registration(caller(request), entry, payload.reason)
        return json.loads(RegistrationOut(**serialize.registration(done)).model_dump_json())

    return once.api(request, {"entry": str(entry_id), "reason": payload.reason}, do)
