"""Actions of the API app: creating and revoking API tokens."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor

from .models import ApiToken
from .tokens import PREFIX, forget_tokens, token_digest


@action("api.token_create")
def create_token(user: Any, *, name: str = "", days: int | None = None, actor: Actor = None) -> tuple[ApiToken, str]:
    token = PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    row = ApiToken.objects.create(
        user=user, name=name, prefix=token[:10], digest=token_digest(token), created_at=now,
        expires_at=now + dt.timedelta(days=days) if days else None,
    )
    audit.record("api.token_create", actor=actor or user, obj=row, data={"user": user.get_username(), "name": name})
    return row, token


@action("api.token_revoke")
def revoke_token(row: ApiToken, *, actor: Actor = None) -> None:
    ApiToken.objects.filter(pk=row.pk).update(revoked_at=clock.now())
    forget_tokens()
    audit.record("api.token_revoke", actor=actor or row.user, obj=row)
