"""Checking API tokens (creating and revoking them are actions: :mod:`saraban.api.actions`)."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
import threading
import time
from typing import Any

from saraban.kernel import clock
from saraban.kernel.errors import SarabanError

from .models import ApiToken

PREFIX = "sbt_"


class TokenInvalid(SarabanError):
    code = "token_invalid"
    status = 401
    message_th = "โทเคนไม่ถูกต้องหรือถูกเพิกถอนแล้ว"
    message_en = "The token is invalid or revoked"


class TokenExpired(SarabanError):
    code = "token_expired"
    status = 401
    message_th = "โทเคนหมดอายุแล้ว กรุณาออกโทเคนใหม่"
    message_en = "The token has expired; create a new one"


def token_digest(token: str) -> str:
    """What is kept of a token: its SHA-256 (the token itself is shown once and never stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


TOKEN_TTL = float(os.environ.get("SARABAN_TOKEN_CACHE_TTL", "10"))  # seconds a process trusts a checked token
_cache_lock = threading.Lock()
_checked: dict[str, tuple[float, Any, dt.datetime | None]] = {}


def forget_tokens() -> None:
    with _cache_lock:
        _checked.clear()


def user_for_token(token: str) -> Any:
    """The active user a token belongs to, or a coded 401.  A token checked in the last ``TOKEN_TTL``
    seconds is not read again (a revocation made elsewhere applies within that time)."""
    digest = token_digest(token.strip())
    now = clock.now()
    mono = time.monotonic()
    with _cache_lock:
        hit = _checked.get(digest)
    if hit is not None and mono - hit[0] < TOKEN_TTL:
        _, user, expires = hit
        if expires is not None and expires <= now:
            raise TokenExpired()
        fresh = copy.copy(user)  # a fresh object per request: nothing request-scoped leaks between requests
        fresh.__dict__.pop("_saraban_principal", None)
        return fresh
    row = ApiToken.objects.select_related("user").filter(digest=digest).first()
    if row is None or row.revoked_at is not None or not row.user.is_active:
        raise TokenInvalid()
    if row.expires_at is not None and row.expires_at <= now:
        raise TokenExpired()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)  # usage stamp, not a state change
    with _cache_lock:
        if len(_checked) > 10_000:
            _checked.clear()
        _checked[digest] = (mono, copy.copy(row.user), row.expires_at)
    return row.user
