from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from saraban.orgs.queries import person_for_user

from . import panels
from .help.areas import help_url
from .help.tour import tour_for


def saraban(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    person = person_for_user(user) if user is not None and user.is_authenticated else None
    links = panels.nav_for(request) if person is not None or getattr(user, "is_authenticated", False) else []
    current = max((n for n in links if n.url != "/" and request.path.startswith(n.url)), key=lambda n: len(n.url),
                  default=None)
    nav = current.key if current else ("desk" if request.path == "/" else "")
    return {"lang": getattr(request, "LANGUAGE_CODE", "th"), "person": person, "nav": nav, "nav_links": links,
            "help_url": help_url(request.path),
            "tour": tour_for(person) if person is not None and request.method == "GET"
            and not request.path.startswith("/help/") else None}
