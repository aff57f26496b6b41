"""Who acts: a signed-in user, or the system itself.

Every action takes the actor first.  ``None`` is the system (the worker, a periodic job, the organisation
loader) and is written to the audit log as ``system``.  Transports hand over only signed-in users: the API's
:func:`saraban.api.auth.caller` and the web's ``login_required`` views (see :func:`signed_in`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.http import HttpRequest

Actor: TypeAlias = "User | None"
"""The one who performs an action: a Django user, or ``None`` for the system."""

Viewer: TypeAlias = "User | AnonymousUser | None"
"""The one who looks (queries and policies): anyone a request carries; an anonymous visitor sees nothing."""


def signed_in(request: HttpRequest) -> User:
    """The request's user, who must be signed in (views behind ``login_required``; the API's auth)."""
    user: User | AnonymousUser = request.user  # type: ignore[assignment]
    if not user.is_authenticated:
        from .errors import PermissionDenied

        raise PermissionDenied("ต้องเข้าสู่ระบบก่อน", "Sign in first")
    return user
