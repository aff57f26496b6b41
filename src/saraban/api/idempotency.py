"""``Idempotency-Key``: a retried mutating call returns the first result and changes nothing more.

The record is written in the same transaction as the action's effects, so either both exist or neither
does.  Two concurrent calls with one key: the second one's insert conflicts, it rolls back (giving back
any number it took) and answers with the first one's stored result.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError
from django.http import HttpRequest

from saraban.kernel import clock
from saraban.kernel.actions import atomic
from saraban.kernel.errors import Conflict, InvalidInput, SarabanError

from .models import IdempotencyRecord


class KeyReused(Conflict):
    code = "idempotency_key_reused"
    status = 422
    message_th = "Idempotency-Key นี้ถูกใช้กับคำขออื่นไปแล้ว"
    message_en = "This Idempotency-Key was already used for a different request"


def fingerprint(request: HttpRequest, parts: dict[str, Any]) -> str:
    h = hashlib.sha256()
    h.update(f"{request.method} {request.path}\n".encode())
    h.update(json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False).encode())
    return h.hexdigest()


def file_digest(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


def run(request: HttpRequest, parts: dict[str, Any], fn: Callable[[], tuple[int, Any]],
        key: str | None = None) -> tuple[int, Any]:
    """Run ``fn`` once per (user, key); the key is the ``Idempotency-Key`` header unless given."""
    key = (key if key is not None else request.headers.get("Idempotency-Key") or "").strip()
    if not key:
        return fn()
    if len(key) > 255:
        raise InvalidInput("Idempotency-Key ยาวเกิน 255 ตัวอักษร", "Idempotency-Key is longer than 255 characters",
                           code="idempotency_key_invalid")
    user = getattr(request, "auth", None) or request.user
    fp = fingerprint(request, parts)

    def stored() -> tuple[int, Any] | None:
        rec = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if rec is None:
            return None
        if rec.fingerprint != fp:
            raise KeyReused()
        return rec.status, rec.body

    first = stored()
    if first is not None:
        return first
    try:
        with atomic():
            status, body = fn()
            IdempotencyRecord.objects.create(
                user=user, key=key, fingerprint=fp, status=status, body=body, created_at=clock.now()
            )
        return status, body
    except (IntegrityError, SarabanError):
        # a concurrent twin may have committed first (and made this one fail, e.g. as a duplicate)
        again = stored()
        if again is None:
            raise
        return again
