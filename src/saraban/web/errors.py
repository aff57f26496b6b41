"""Error pages: Thai first (English under it) for the web, coded JSON for the API.

Django calls these for a URL that matches nothing, a refused request, a forbidden page, a failed CSRF check
and a server error (``handler404`` … in :mod:`saraban.urls`), so no bare English page reaches a user.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

PAGES: dict[int, tuple[str, str, str, str, str]] = {
    400: ("bad_request", "คำขอไม่ถูกต้อง", "Bad request",
          "ระบบไม่เข้าใจคำขอนี้ กรุณากลับไปหน้าก่อนแล้วลองใหม่", "The request could not be understood; go back and try again."),
    403: ("forbidden", "ท่านไม่มีสิทธิ์เข้าถึงหน้านี้", "You may not open this page",
          "หากเห็นว่าควรมีสิทธิ์ กรุณาติดต่อผู้ดูแลระบบของหน่วยงาน", "Ask your agency's administrator if you should."),
    404: ("not_found", "ไม่พบหน้าที่ต้องการ", "Page not found",
          "หน้านี้ไม่มีอยู่ หรือท่านไม่มีสิทธิ์เห็นหนังสือนี้", "The page does not exist, or you may not see this letter."),
    500: ("server_error", "ระบบขัดข้องชั่วคราว", "Something went wrong",
          "ระบบบันทึกข้อผิดพลาดไว้แล้ว ไม่มีข้อมูลใดถูกบันทึกครึ่งทาง กรุณาลองใหม่อีกครั้ง",
          "The error was logged and nothing was half-saved; please try again."),
}
CSRF = ("csrf_failed", "แบบฟอร์มหมดอายุ", "The form has expired",
        "กรุณาโหลดหน้าใหม่แล้วส่งแบบฟอร์มอีกครั้ง", "Reload the page and send the form again.")


def _answer(request: HttpRequest, status: int, page: tuple[str, str, str, str, str]) -> HttpResponse:
    code, th, en, more_th, more_en = page
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "message": th, "message_th": th, "message_en": en}, status=status,
                            json_dumps_params={"ensure_ascii": False})
    context: dict[str, Any] = {"status": status, "code": code, "title_th": th, "title_en": en,
                               "more_th": more_th, "more_en": more_en}
    try:  # the full page (top bar, language) when the request can carry it
        body = loader.render_to_string("web/error.html", context, request=request)
    except Exception:  # a failing context processor (the database is down): the bare Thai page
        body = loader.render_to_string("web/error_bare.html", context)
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 400, PAGES[400])


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 403, PAGES[403])


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 404, PAGES[404])


def server_error(request: HttpRequest) -> HttpResponse:
    return _answer(request, 500, PAGES[500])


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _answer(request, 403, CSRF)
