"""HTTP answers both transports give the same way: a stored file, and the address the public sees."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal, TypeVar
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from saraban.storage import blobs
from saraban.storage.models import Blob

R = TypeVar("R", HttpResponse, StreamingHttpResponse)
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "text/plain"})
"""Types a browser may show in place; any other file (an enclosure of any office type) is always saved."""


_UNSAFE = re.compile(r'[^A-Za-z0-9._() +-]+')


def ascii_fallback(name: str) -> str:
    """The plain-ASCII ``filename=`` for clients that do not read ``filename*``: accents dropped, anything else
    (Thai, quotes, slashes, control characters) made ``_``; a name with no letters left keeps its extension."""
    stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
    clean = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    clean = _UNSAFE.sub("_", clean).strip(" ._") or "download"
    ext = _UNSAFE.sub("", ext)[:10]
    return f"{clean[:120]}{dot if ext else ''}{ext}"


def content_disposition(name: str, *, inline: bool = False, fallback: str = "") -> str:
    """One ``Content-Disposition`` for every download and export (RFC 6266 with RFC 5987's ``filename*``):
    ``attachment; filename="ascii-fallback.csv"; filename*=UTF-8''%E0%B8%97…`` so a Thai name survives in every
    browser and a client that knows only ``filename`` still gets a safe one (``fallback`` names that one when
    the caller has a better ASCII name than what is left of a Thai one)."""
    name = "".join(ch for ch in name if ch.isprintable()).replace("/", "-").replace("\\", "-") or "download"
    kind: Literal["inline", "attachment"] = "inline" if inline else "attachment"
    return f'{kind}; filename="{ascii_fallback(fallback or name)}"; filename*=UTF-8\'\'{quote(name, safe="")}'


def file_response(data: bytes, name: str, content_type: str, sha256: str, *, inline: bool = True) -> HttpResponse:
    """A file to show (``inline``, for the types of :data:`INLINE_TYPES`) or save, never cached, its SHA-256
    in ``X-Content-SHA256``; sandboxed so that nothing in it can run as the site."""
    return _file_headers(HttpResponse(data, content_type=content_type or "application/octet-stream"), name,
                         content_type, sha256, inline=inline)


def blob_response(blob: Blob, name: str, *, inline: bool = True) -> HttpResponse | StreamingHttpResponse:
    """A stored file as :func:`file_response` gives it, after the caller's access check and classified-read log.
    Files up to ``SARABAN_STREAM_OVER_MB`` are read and checked first (a damaged one is a coded error); larger
    ones stream from the blob store, checked as they go (a damaged one is cut off before its last piece, and
    recorded), so memory holds a piece, never the file."""
    if blob.size <= settings.SARABAN_STREAM_OVER_MB * 1024 * 1024:
        return file_response(blobs.read(blob), name, blob.content_type, blob.sha256, inline=inline)
    resp = StreamingHttpResponse(blobs.stream(blob), content_type=blob.content_type or "application/octet-stream")
    resp["Content-Length"] = str(blob.size)
    return _file_headers(resp, name, blob.content_type, blob.sha256, inline=inline)


def _file_headers(resp: R, name: str, content_type: str, sha256: str, *, inline: bool) -> R:
    disposition = "inline" if inline and content_type in INLINE_TYPES else "attachment"
    if content_type != "application/pdf":  # (Chromium's PDF viewer will not open in a sandboxed page)
        resp["Content-Security-Policy"] = "sandbox"
    resp["Content-Disposition"] = content_disposition(name, inline=disposition == "inline")
    resp["X-Content-SHA256"] = sha256
    resp["Cache-Control"] = "private, no-store"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


def public_base(request: HttpRequest) -> str:
    """The site's public address (``SARABAN_PUBLIC_URL``, else the one this request came to), no final ``/``."""
    return settings.SARABAN_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
