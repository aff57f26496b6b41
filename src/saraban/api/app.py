"""The REST API (``/api/v1``): one router per domain, Bearer tokens, errors with a stable code."""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from saraban.kernel.errors import SarabanError

from .auth import BearerToken, Session
from .docs import VendoredSwagger
from .render import Utf8Renderer
from .routers import (
    correspondence,
    drafting,
    enclosures,
    exchange,
    intake,
    letters,
    loans,
    me,
    records,
    registers,
    routing,
    search,
)

log = logging.getLogger(__name__)

api = NinjaAPI(
    title="Saraban API",
    version="1.0",
    description="ระบบสารบรรณอิเล็กทรอนิกส์ Saraban — REST API. Errors are JSON with a stable `code` and a message in "
                "Thai (`message`, `message_th`) and English (`message_en`). Mutating calls honour `Idempotency-Key`.",
    auth=[BearerToken(), Session()],
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=VendoredSwagger(),
    renderer=Utf8Renderer(),
)
api.add_router("/letters", letters.router)
api.add_router("", registers.router)
api.add_router("/intake", intake.router)
api.add_router("", me.router)
api.add_router("/routing", routing.router)
api.add_router("/directory", exchange.directory_router)
api.add_router("/letters", exchange.letters_router)
api.add_router("/letters", correspondence.router)
api.add_router("/exchange", exchange.router)
api.add_router("", drafting.router)
api.add_router("", enclosures.router)
api.add_router("", search.router)
api.add_router("/records", records.router)
api.add_router("/records", loans.router)


def _error(request: HttpRequest, status: int, code: str, th: str, en: str, details: dict | None = None) -> HttpResponse:
    body = {"code": code, "message": th, "message_th": th, "message_en": en}
    if details:
        body["details"] = details
    return api.create_response(request, body, status=status)


@api.exception_handler(SarabanError)
def saraban_error(request: HttpRequest, exc: SarabanError) -> HttpResponse:
    resp = api.create_response(request, exc.as_dict(), status=exc.status)
    if "retry_after" in exc.details:
        resp["Retry-After"] = str(exc.details["retry_after"])
    return resp


@api.exception_handler(RecursionError)
def too_deep(request: HttpRequest, exc: RecursionError) -> HttpResponse:
    return saraban_error(request, letters.too_deep())


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "form", "file", "query", "path")]
        name = ".".join(loc) or "request"
        missing = err.get("type") == "missing"
        fields.append({"field": name, "message_th": f"{name}: {'ต้องระบุ' if missing else 'ค่าไม่ถูกต้อง'}",
                       "message_en": f"{name}: {err.get('msg', 'invalid')}"})
    return _error(request, 422, "invalid_input", "ข้อมูลไม่ถูกต้อง: " + "; ".join(f["message_th"] for f in fields),
                  "Invalid input: " + "; ".join(f["message_en"] for f in fields), {"fields": fields})


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "auth_required", "ต้องเข้าสู่ระบบหรือแนบโทเคน (Authorization: Bearer …)",
                  "Authentication required (Authorization: Bearer …)")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "ไม่พบข้อมูล", "Not found")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, RecursionError):
        return too_deep(request, exc.__cause__)
    if str(exc).startswith("Cannot parse request body"):
        return _error(request, 400, "invalid_json", "เนื้อหาคำขอต้องเป็น JSON ที่ถูกต้อง",
                      "The request body must be valid JSON")
    if exc.status_code == 403 and "CSRF" in str(exc):
        return _error(request, 403, "csrf_failed", "ไม่ผ่านการตรวจสอบ CSRF กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
                      "CSRF check failed; reload the page and try again")
    return _error(request, exc.status_code, "http_error", str(exc), str(exc))
