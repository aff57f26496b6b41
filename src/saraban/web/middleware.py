from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation

from saraban.kernel.errors import SarabanError


class UploadLimitMiddleware:
    """Refuse a request body far beyond the upload limit before reading it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_UPLOAD_BYTES
        if length > limit * 2 + 1024 * 1024:  # several files may come together; the per-file check is exact
            mb = limit // (1024 * 1024)
            th = f"คำขอมีขนาดใหญ่เกินกำหนด (ไฟล์ละไม่เกิน {mb} MB)"
            en = f"Request too large (each file at most {mb} MB)"
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "file_too_large", "message": th, "message_th": th, "message_en": en},
                                    status=413)
            return HttpResponse(th, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class LanguageMiddleware:
    """Thai first; ``?lang=en`` (remembered in the session) switches the UI to English."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lang = request.GET.get("lang")
        if lang in ("th", "en") and hasattr(request, "session"):
            request.session["lang"] = lang
        current = (request.session.get("lang") if hasattr(request, "session") else None) or "th"
        request.LANGUAGE_CODE = current
        translation.activate(current)
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", current)
        return response


class SarabanErrorMiddleware:
    """A domain error no view handled (a damaged file, a full disk): a Thai page with its code on the web,
    coded JSON under ``/api/`` — never a bare 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, SarabanError):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(exc.as_dict(), status=exc.status, json_dumps_params={"ensure_ascii": False})
        return render(request, "web/error.html", {"error": exc}, status=exc.status)
