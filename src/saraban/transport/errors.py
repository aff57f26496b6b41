"""Every failure a coded answer: JSON with a stable ``code`` on the API, a Thai (and English) page on the web.

Django's own error paths — a request it cannot parse, a form field over ``DATA_UPLOAD_MAX_MEMORY_SIZE``,
a failed CSRF check, an unknown URL, an unexpected exception — call the handlers here (``handler400`` …
in ``saraban.urls``, ``CSRF_FAILURE_VIEW`` in the settings) instead of Django's plain English HTML.
"""

from __future__ import annotations

import logging

from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string

from saraban.kernel.errors import NotFound, PermissionDenied, SarabanError

log = logging.getLogger(__name__)


class BadRequestError(SarabanError):
    code = "bad_request"
    status = 400
    message_th = "คำขอไม่ถูกต้อง"
    message_en = "Bad request"


class FieldTooLarge(SarabanError):
    code = "field_too_large"
    status = 413
    message_th = "ข้อมูลในแบบฟอร์มมีขนาดใหญ่เกินกำหนด"
    message_en = "A form field or request body is larger than allowed"


class TooManyFields(SarabanError):
    code = "too_many_fields"
    status = 400
    message_th = "คำขอมีจำนวนช่องข้อมูลหรือไฟล์มากเกินกำหนด"
    message_en = "The request has too many fields or files"


class UnreadableRequest(SarabanError):
    code = "unreadable_request"
    status = 400
    message_th = "อ่านคำขอไม่ได้ (รูปแบบไม่ถูกต้อง หรือส่วนหัว เช่น ชื่อไฟล์ ยาวเกินกำหนด)"
    message_en = "The request could not be read (malformed, or a part header such as a file name is too long)"


class CsrfFailed(PermissionDenied):
    code = "csrf_failed"
    message_th = "แบบฟอร์มหมดอายุหรือไม่ได้มาจากระบบนี้ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง"
    message_en = "The form expired or did not come from this site; reload the page and try again"


class ServerError(SarabanError):
    code = "server_error"
    status = 500
    message_th = "ระบบขัดข้อง กรุณาลองใหม่ภายหลัง (เหตุขัดข้องถูกบันทึกไว้แล้ว)"
    message_en = "Something went wrong on our side; try again later (it has been logged)"


TITLES = {
    400: ("คำขอไม่ถูกต้อง", "Bad request"), 403: ("ไม่มีสิทธิ์เข้าถึง", "Forbidden"),
    404: ("ไม่พบหน้าที่ต้องการ", "Page not found"), 413: ("ข้อมูลใหญ่เกินกำหนด", "Too large"),
    429: ("คำขอมากเกินไป", "Too many requests"), 500: ("ระบบขัดข้อง", "Server error"),
}


def coded(exception: BaseException | None) -> SarabanError:
    """The coded error for an exception that reached Django's error handling."""
    if isinstance(exception, SarabanError):
        return exception
    if isinstance(exception, RequestDataTooBig):
        return FieldTooLarge()
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return TooManyFields()
    if isinstance(exception, MultiPartParserError):
        if "header size" in str(exception):  # Django reads at most 10 KB of a part's headers
            return UnreadableRequest("ส่วนหัวของไฟล์ที่แนบ (เช่น ชื่อไฟล์) ยาวเกินกำหนด กรุณาตั้งชื่อไฟล์ให้สั้นลง",
                                     "A part header of the upload (such as the file name) is too long; "
                                     "use a shorter file name", code="part_header_too_long")
        return UnreadableRequest()
    if isinstance(exception, BadRequest):
        return BadRequestError()
    return BadRequestError()


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_page(request: HttpRequest, exc: SarabanError) -> HttpResponse:
    """``exc`` answered in the caller's terms: coded JSON on the API, a self-contained Thai page on the web.

    The page uses no context processor and no session, so it renders even when what failed was those."""
    if wants_json(request):
        return JsonResponse(exc.as_dict(), status=exc.status, json_dumps_params={"ensure_ascii": False})
    title = TITLES.get(exc.status, TITLES[400])
    html = render_to_string("web/error.html", {
        "status": exc.status, "title_th": title[0], "title_en": title[1], "error": exc,
    })
    return HttpResponse(html, status=exc.status, content_type="text/html; charset=utf-8")


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_page(request, coded(exception))


def forbidden(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_page(request, exception if isinstance(exception, SarabanError) else PermissionDenied())


def not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_page(request, NotFound("ไม่พบหน้าหรือข้อมูลที่ต้องการ", "The page or record was not found"))


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, ServerError())


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    log.info("CSRF check failed on %s: %s", request.path, reason)
    return error_page(request, CsrfFailed())
