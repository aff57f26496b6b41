"""Creating and checking API tokens."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
import secrets
import threading
import time
from typing import Any

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
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


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@action("api.token_create")
def create_token(user: Any, *, name: str = "", days: int | None = None, actor: Any = None) -> tuple[ApiToken, str]:
    token = PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    row = ApiToken.objects.create(
        user=user, name=name, prefix=token[:10], digest=_digest(token), created_at=now,
        expires_at=now + dt.timedelta(days=days) if days else None,
    )
    audit.record("api.token_create", actor=actor or user, obj=row, data={"user": user.get_username(), "name": name})
    return row, token


@action("api.token_revoke")
def revoke_token(row: ApiToken, *, actor: Any = None) -> None:
    ApiToken.objects.filter(pk=row.pk).update(revoked_at=clock.now())
    forget_tokens()
    audit.record("api.token_revoke", actor=actor or row.user, obj=row)


TOKEN_TTL = float(os.environ.get("SARABAN_TOKEN_CACHE_TTL", "10"))  # seconds a process trusts a checked token
_cache_lock = threading.Lock()
_checked: dict[str, tuple[float, Any, dt.datetime | None]] = {}


def forget_tokens() -> None:
    with _cache_lock:
        _checked.clear()


def user_for_token(token: str) -> Any:
    """The active user a token belongs to, or a coded 401.  A token checked in the last ``TOKEN_TTL``
    seconds is not read again (a revocation made elsewhere applies within that time)."""
    digest = _digest(token.strip())
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
