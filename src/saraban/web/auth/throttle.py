"""Login throttling with django-axes: per account and per address, with delays that grow.

Axes counts failed sign-ins (a wrong password, a wrong TOTP code, any attempt while locked out) per
username and per client address.  After ``SARABAN_LOGIN_FAILURES`` failures (default 5) that account or
address is locked out for ``SARABAN_LOGIN_DELAY`` seconds (default 60), and every further failure doubles the
delay (capped at a day).  A locked-out attempt is refused before the password is hashed, so a flood costs
no CPU.  Behind a reverse proxy, list its addresses in ``SARABAN_TRUSTED_PROXIES``: the client address is
then taken from ``X-Forwarded-For``.
"""

from __future__ import annotations

import datetime as dt
import math
import os

from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

FAILURES = int(os.environ.get("SARABAN_LOGIN_FAILURES", "5"))
BASE_DELAY = float(os.environ.get("SARABAN_LOGIN_DELAY", "60"))
MAX_DELAY = 24 * 3600.0
TRUSTED_PROXIES = frozenset(p.strip() for p in os.environ.get("SARABAN_TRUSTED_PROXIES", "").split(",") if p.strip())


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or the nearest untrusted hop of ``X-Forwarded-For`` when the
    request came through a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if remote in TRUSTED_PROXIES:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        for hop in reversed(hops):
            if hop not in TRUSTED_PROXIES:
                return hop
    return remote


def delay_for(failures: int) -> float:
    """Seconds locked out after ``failures`` failed attempts: the base delay, doubled for each failure past
    the limit, at most a day."""
    extra = max(0, failures - FAILURES)
    return min(MAX_DELAY, BASE_DELAY * math.pow(2, min(extra, 32)))


def failures_of(request: HttpRequest | None) -> int:
    """The most failures recorded for this request's username or address (whichever is worse)."""
    if request is None:
        return 0
    from axes.models import AccessAttempt

    username = (getattr(request, "POST", {}) or {}).get("username", "")
    ip = getattr(request, "axes_ip_address", None) or client_ip(request)
    who = Q(ip_address=ip) | (Q(username=username) if username else Q(pk__in=[]))
    return int(AccessAttempt.objects.filter(who).aggregate(n=Max("failures_since_start"))["n"] or 0)


def cool_off(request: HttpRequest | None = None) -> dt.timedelta:
    """``AXES_COOLOFF_TIME``: how long the lock-out lasts, growing with the failures."""
    return dt.timedelta(seconds=delay_for(failures_of(request)))


def locked_out(request: HttpRequest, original_response: HttpResponse | None = None,
               credentials: dict | None = None) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the sign-in page again, with a coded Thai and English message, 429 and
    ``Retry-After``."""
    seconds = int(delay_for(failures_of(request)))
    minutes = max(1, math.ceil(seconds / 60))
    response = render(request, "auth/login.html", {
        "error_th": f"เข้าสู่ระบบไม่สำเร็จหลายครั้ง บัญชีหรือเครื่องนี้ถูกระงับชั่วคราว โปรดลองใหม่ในอีก {minutes} นาที",
        "error_en": f"Too many failed sign-ins: this account or address is locked for {minutes} min",
        "error_code": "login_throttled", "username": (request.POST.get("username", "") if request.POST else ""),
        "next": "/",
    }, status=429)
    response["Retry-After"] = str(seconds)
    return response
