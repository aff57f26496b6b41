from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from saraban.orgs.queries import person_for_user


def saraban(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    person = person_for_user(user) if user is not None and user.is_authenticated else None
    path = request.path
    nav = "registers" if path.startswith("/registers") else "outgoing" if path.startswith("/outgoing") else "desk"
    return {"lang": getattr(request, "LANGUAGE_CODE", "th"), "person": person, "nav": nav}
