"""HTTP answers both transports give the same way: a stored file, and the address the public sees."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse

INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "text/plain"})
"""Types a browser may show in place; any other file (an enclosure of any office type) is always saved."""


def file_response(data: bytes, name: str, content_type: str, sha256: str, *, inline: bool = True) -> HttpResponse:
    """A file to show (``inline``, for the types of :data:`INLINE_TYPES`) or save, never cached, its SHA-256
    in ``X-Content-SHA256``; sandboxed so that nothing in it can run as the site."""
    resp = HttpResponse(data, content_type=content_type or "application/octet-stream")
    disposition = "inline" if inline and content_type in INLINE_TYPES else "attachment"
    if content_type != "application/pdf":  # (Chromium's PDF viewer will not open in a sandboxed page)
        resp["Content-Security-Policy"] = "sandbox"
    resp["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(name)}"
    resp["X-Content-SHA256"] = sha256
    resp["Cache-Control"] = "private, no-store"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


def public_base(request: HttpRequest) -> str:
    """The site's public address (``SARABAN_PUBLIC_URL``, else the one this request came to), no final ``/``."""
    return settings.SARABAN_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
