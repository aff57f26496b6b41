from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from .tokens import user_for_token

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def caller(request: HttpRequest) -> User:
    """Who called: the user the Bearer token or the session authenticated (every router requires one)."""
    return request.auth  # type: ignore[attr-defined,no-any-return]


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)  # raises a coded 401 for bad or expired tokens
        request.user = user
        return user


class Session(SessionAuth):
    """The signed-in browser session (CSRF-protected for unsafe methods)."""

    def authenticate(self, request: HttpRequest, key: Any) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_authenticated else None
