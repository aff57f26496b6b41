from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from saraban.kernel.errors import SarabanError
from saraban.transport.errors import error_page


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
            return error_page(request, SarabanError(f"คำขอมีขนาดใหญ่เกินกำหนด (ไฟล์ละไม่เกิน {mb} MB)",
                                                    f"Request too large (each file at most {mb} MB)",
                                                    code="file_too_large", status=413))
        return self.get_response(request)


class ErrorPageMiddleware:
    """A coded error no view caught (a rate limit, say) becomes its Thai page with its status, not a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, SarabanError):
            return None
        resp = error_page(request, exception)
        if "retry_after" in exception.details:
            resp["Retry-After"] = str(exception.details["retry_after"])
        return resp


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
