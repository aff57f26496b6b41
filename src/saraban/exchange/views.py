"""Web pages of the exchange (filled in below)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def panel_context(request: HttpRequest, letter: Any) -> dict[str, Any] | None:
    return None


def can_see_dashboard(request: HttpRequest) -> bool:
    return False


def can_admin(request: HttpRequest) -> bool:
    return False
