from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from saraban.kernel.actor import signed_in
from saraban.orgs.queries import person_for_user

from . import panels
from .help.areas import help_url
from .help.tour import tour_for


class NavItem:
    """A link of the top bar as the page draws it: its waiting count is asked only if the bar is drawn (a
    fragment answering HTMX never asks), and at most once per request."""

    def __init__(self, link: panels.NavLink, request: HttpRequest) -> None:
        self.link, self.request = link, request
        self.key, self.th, self.en, self.url = link.key, link.th, link.en, link.url

    @cached_property
    def count(self) -> int:
        return self.link.count(self.request) if self.link.count else 0


class Unread:
    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def count(self) -> int:
        from saraban.routing.queries import unread_count

        return unread_count(signed_in(self.request))


def saraban(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    authenticated = bool(getattr(user, "is_authenticated", False))
    person = person_for_user(user) if user is not None and authenticated else None
    links = [NavItem(n, request) for n in panels.nav_for(request)] if authenticated else []
    current = max((n for n in links if n.url != "/" and request.path.startswith(n.url)), key=lambda n: len(n.url),
                  default=None)
    nav = current.key if current else ("desk" if request.path == "/" else "")
    return {"lang": getattr(request, "LANGUAGE_CODE", "th"), "person": person, "nav": nav, "nav_links": links,
            "unread": Unread(request) if authenticated else None, "help_url": help_url(request.path),
            "tour": tour_for(person) if person is not None and request.method == "GET"
            and not request.path.startswith("/help/") else None}
