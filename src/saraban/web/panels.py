"""Extension points of the web UI: panels on the letter page and links in the top bar.

Each area of the web (``web/<area>/``) registers what it adds in its ``AppConfig.register_panels`` instead of
editing shared templates (panels of equal ``order`` keep the order they were registered in):

    panels.letter_panel("routing/_panel.html", context=routing_context, column="main", order=30)
    panels.nav_link("inbox", "งานของฉัน", "My work", "/inbox/", order=5, count=routing_count)

An app above the web (``ops``, which imports no web code) declares its links in ``AppConfig.web_links()``, a
list of this function's keyword arguments.

The registrations run once, on first use (:func:`register_all`, called when the URLconf loads and by the
functions below), not in ``AppConfig.ready``: registering imports the areas' views, and a ``saraban`` command
that serves no page (a backup, a token, a migration) would pay that on every start.

A link's ``count`` (items waiting behind it) is shown as a badge; it is asked only when the top bar is drawn,
once per page, and must be one cheap query that counts what the person may see, never reading a subject.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.http import HttpRequest


@dataclass(frozen=True)
class LetterPanel:
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]  # None: the panel is not shown
    column: str = "main"  # "main" (left, under the facts) or "side" (right, under the preview)
    order: int = 50


@dataclass(frozen=True)
class NavLink:
    key: str
    th: str
    en: str
    url: str
    order: int = 50
    visible: Callable[[HttpRequest], bool] | None = None
    count: Callable[[HttpRequest], int] | None = None  # items waiting behind the link (a badge); None: no badge


LETTER_PANELS: list[LetterPanel] = []
NAV_LINKS: list[NavLink] = []
_registered = threading.Event()
_registering = threading.RLock()  # a registration that loads the URLconf comes back here


def register_all() -> None:
    """Run every app's ``register_panels`` and take the links of ``web_links``, once per process."""
    if _registered.is_set():
        return
    with _registering:
        if _registered.is_set():
            return
        for config in apps.get_app_configs():
            register = getattr(config, "register_panels", None)
            if register is not None:
                register()
            for link in getattr(config, "web_links", list)():  # apps above the web (ops): links to their pages
                nav_link(**link)
        _registered.set()


def letter_panel(template: str, *, context: Callable[[HttpRequest, Any], dict[str, Any] | None],
                 column: str = "main", order: int = 50) -> None:
    if all(p.template != template for p in LETTER_PANELS):
        LETTER_PANELS.append(LetterPanel(template, context, column, order))
        LETTER_PANELS.sort(key=lambda p: p.order)


def nav_link(key: str, th: str, en: str, url: str, *, order: int = 50,
             visible: Callable[[HttpRequest], bool] | None = None,
             count: Callable[[HttpRequest], int] | None = None) -> None:
    if all(n.key != key for n in NAV_LINKS):
        NAV_LINKS.append(NavLink(key, th, en, url, order, visible, count))
        NAV_LINKS.sort(key=lambda n: n.order)


def panels_for(request: HttpRequest, letter: Any) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    register_all()
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {"main": [], "side": []}
    for panel in LETTER_PANELS:
        ctx = panel.context(request, letter)
        if ctx is not None:
            out.setdefault(panel.column, []).append((panel.template, ctx))
    return out


def nav_for(request: HttpRequest) -> list[NavLink]:
    register_all()
    return [n for n in NAV_LINKS if n.visible is None or n.visible(request)]

