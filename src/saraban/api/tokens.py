"""Checking API tokens (creating and revoking them are actions: :mod:`saraban.api.actions`)."""

from __future__ import annotations

import copy
import hashlib
import os
import threading
import time
from typing import Any

from django.contrib.auth import get_user_model

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


USER_TTL = float(os.environ.get("SARABAN_TOKEN_CACHE_TTL", "10"))  # seconds a process reuses a token's user object
_cache_lock = threading.Lock()
_users: dict[int, tuple[float, Any]] = {}


def forget_tokens() -> None:
    with _cache_lock:
        _users.clear()


def _user(user_id: int) -> Any:
    """The token's user: reused for ``USER_TTL`` seconds (a fresh copy per request: nothing request-scoped
    leaks between requests)."""
    mono = time.monotonic()
    with _cache_lock:
        hit = _users.get(user_id)
    if hit is not None and mono - hit[0] < USER_TTL:
        fresh = copy.copy(hit[1])
        fresh.__dict__.pop("_saraban_principal", None)
        return fresh
    user = get_user_model().objects.get(pk=user_id)
    with _cache_lock:
        if len(_users) > 10_000:
            _users.clear()
        _users[user_id] = (mono, copy.copy(user))
    return user


def user_for_token(token: str) -> Any:
    """The active user a token belongs to, or a coded 401.

    The token's row is read on every request (one indexed look-up), so a revocation, an expiry or a
    deactivated account takes effect at once in every process; only the user object is reused.
    """
    digest = token_digest(token.strip())
    now = clock.now()
    row = (ApiToken.objects.filter(digest=digest)
           .values_list("pk", "revoked_at", "expires_at", "user_id", "user__is_active", "last_used_at").first())
    if row is None:
        raise TokenInvalid()
    pk, revoked_at, expires_at, user_id, active, last_used_at = row
    if revoked_at is not None or not active:
        raise TokenInvalid()
    if expires_at is not None and expires_at <= now:
        raise TokenExpired()
    if last_used_at is None or (now - last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=pk).update(last_used_at=now)  # usage stamp, not a state change
    return _user(user_id)
