"""Rate limits for expensive requests: page images, previews, exports, PDF renders, searches, validation.

A fixed-window counter per caller (the signed-in user, else the client address) and kind, kept in the
database: ``UPDATE … SET count = count + 1`` is atomic on SQLite and PostgreSQL alike, so every web and
worker process of a deployment shares one count.  We do not use django-ratelimit: it counts in the Django
cache and needs an atomic shared one (memcached or Redis, which a Saraban deployment does not run); on the
database cache its own documentation warns that it undercounts, and the local-memory cache is per process.

Limits come from ``SARABAN_RATE_LIMITS`` (``preview=240/60,export=30/60``: requests per seconds), over
the defaults in :data:`DEFAULTS`.  An exceeded limit answers 429 ``rate_limited`` with ``Retry-After``:
coded JSON on the API, a Thai page on the web.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest

from saraban.kernel import clock
from saraban.kernel.errors import SarabanError

from .models import RateCount

DEFAULTS: dict[str, tuple[int, int]] = {
    "preview": (240, 60),   # page images and live previews of drafts (a letter page shows several at once)
    "pdf": (30, 60),        # letters and registers typeset to PDF
    "export": (30, 60),     # register exports (CSV, XLSX, PDF)
    "search": (60, 60),     # register searches
    "validate": (20, 60),   # signature validation of uploaded files (also open to the public)
}

F_ = TypeVar("F_", bound=Callable[..., Any])


class RateLimited(SarabanError):
    code = "rate_limited"
    status = 429
    message_th = "มีคำขอมากเกินไป กรุณารอสักครู่แล้วลองใหม่"
    message_en = "Too many requests; wait a moment and try again"


def limit_for(kind: str) -> tuple[int, int]:
    """``(requests, seconds)`` allowed for ``kind``."""
    configured = getattr(settings, "SARABAN_RATE_LIMITS", {}) or {}
    return configured.get(kind) or DEFAULTS[kind]


def caller(request: HttpRequest) -> str:
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return f"u:{user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def hit(key: str, count: int, seconds: int) -> int:
    """Count one request for ``key``; the seconds to wait if it went over ``count`` per ``seconds``, else 0."""
    now = int(clock.now().timestamp())
    window = now - now % seconds
    with transaction.atomic():
        if not RateCount.objects.filter(key=key, window=window).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCount.objects.create(key=key, window=window, count=1)
            except IntegrityError:  # another process opened the window first
                RateCount.objects.filter(key=key, window=window).update(count=F("count") + 1)
            RateCount.objects.filter(window__lt=window - 3600).delete()  # once a window: forget old ones
        used = RateCount.objects.filter(key=key, window=window).values_list("count", flat=True).first() or 0
    return window + seconds - now if used > count else 0


def check(request: HttpRequest, kind: str) -> None:
    """Raise :class:`RateLimited` if the caller went over the limit of ``kind``."""
    count, seconds = limit_for(kind)
    wait = hit(f"{kind}:{caller(request)}", count, seconds)
    if wait:
        raise RateLimited(details={"retry_after": wait, "limit": count, "seconds": seconds})


def limited(kind: str) -> Callable[[F_], F_]:
    """Decorate a view: over the limit it raises :class:`RateLimited` (the API's handler, or the web's
    :class:`~saraban.web.middleware.ErrorPageMiddleware`, answers 429 with ``Retry-After``)."""

    def wrap(view: F_) -> F_:
        @functools.wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            check(request, kind)
            return view(request, *args, **kwargs)

        return inner  # type: ignore[return-value]

    return wrap
