"""Double-submit guard for forms.

Each rendered form carries a one-time token; the action runs under that token as an idempotency key, so a
double click or a browser retry — even two requests racing each other — acts once, and the second one is
sent to the first one's result.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from saraban.api import idempotency


def new_token(request: HttpRequest) -> str:
    return secrets.token_urlsafe(16)


def run(request: HttpRequest, parts: dict[str, Any], fn: Callable[[], str]) -> str:
    """Run ``fn`` (which returns the URL to go to) at most once per form token; return the URL."""
    token = request.POST.get("once", "")
    key = f"form:{token}" if token else ""

    def call() -> tuple[int, Any]:
        return 303, {"url": fn()}

    _, body = idempotency.run(request, parts, call, key=key)
    return body["url"]
