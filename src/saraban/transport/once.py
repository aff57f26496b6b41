"""Run a state-changing request once, and answer it in its transport's terms — for the API and the web.

A retried call gets the first call's answer and changes nothing more.  The key is the ``Idempotency-Key``
header of an API call, or the one-time token (``once``) a rendered form carries, so a double click or a
browser retry — even two requests racing each other — acts once.  :func:`run` is the one place that does
it; :func:`api` and :func:`form` give its result to their transport:

- ``api``: the body with its status (``ninja.Status``).  A :class:`SarabanError` goes on to the API's
  error handler, which answers the coded JSON error (``code``, ``message_th``, ``message_en``, ``details``).
- ``form``: a redirect to the URL the action returned, with the success message.  A ``SarabanError``
  becomes the Thai|English message on the page sent back to, or the form shown again with the error.

The record is written in the same transaction as the action's effects, so either both exist or neither
does.  Two concurrent calls with one key: the second one's insert conflicts, it rolls back (giving back
any number it took) and answers with the first one's stored result.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from ninja import Status

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


def new_token(request: HttpRequest) -> str:
    """A one-time token for a form about to be rendered (its hidden ``once`` field)."""
    return secrets.token_urlsafe(16)


def run(request: HttpRequest, parts: dict[str, Any], fn: Callable[[], tuple[int, Any]],
        key: str | None = None) -> tuple[int, Any]:
    """Run ``fn`` once per (user, key); the key is the ``Idempotency-Key`` header unless given.

    ``parts`` is what makes two calls the same request (the same key with other parts is refused);
    ``fn`` returns ``(status, body)`` with a JSON-safe body, which is what a retry gets back."""
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


def api(request: HttpRequest, parts: dict[str, Any], fn: Callable[[], Any], status: int = 200) -> Status:
    """An API call: ``fn`` acts and returns the JSON-safe body; answer ``status`` with it (or the first
    answer, for a retry with the same ``Idempotency-Key``)."""
    return Status(*run(request, parts, lambda: (status, fn())))


def form(request: HttpRequest, parts: dict[str, Any], fn: Callable[[], str], *,
         back: str | Callable[[SarabanError], HttpResponse], ok: tuple[str, str] | None = None) -> HttpResponse:
    """A form post: ``fn`` acts and returns the URL to go to; redirect there (a double submit is sent to the
    first one's URL).  ``ok`` is the Thai and English success message, shown when the action ran.

    On a :class:`SarabanError`: with ``back`` a URL, redirect there with the error as the page's message;
    with ``back`` a function, answer what it makes of the error (the form again, showing it)."""
    token = request.POST.get("once", "")

    def act() -> tuple[int, Any]:
        url = fn()
        if ok is not None:
            messages.success(request, f"{ok[0]}|{ok[1]}")
        return 303, {"url": url}

    try:
        _, body = run(request, parts, act, key=f"form:{token}" if token else "")
    except SarabanError as exc:
        if callable(back):
            return back(exc)
        error(request, exc)
        return redirect(back)
    return redirect(body["url"])


def error(request: HttpRequest, exc: SarabanError, prefix: str = "") -> None:
    """Show ``exc`` on the next page as its Thai|English message (``prefix``: what it was about)."""
    messages.error(request, f"{prefix}{exc.message_th}|{prefix}{exc.message_en}")


def error_status(exc: SarabanError) -> int:
    """The status of a page shown again with ``exc``: its own, or 400 for a server-side failure."""
    return exc.status if exc.status < 500 else 400
