"""/help/: the user guide inside the app (each page's header links to its part)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from saraban.web.render import render

from . import guide
from .areas import PAGES


def index(request: HttpRequest) -> HttpResponse:
    return show(request, "index")


def show(request: HttpRequest, slug: str) -> HttpResponse:
    lang = getattr(request, "LANGUAGE_CODE", "th")
    found = guide.page(slug, lang)
    if found is None:
        raise Http404
    pages = [p for p in (guide.page(s, lang) for s in PAGES) if p]
    return render(request, "web/help/page.html", {"page": found, "pages": pages, "nav": "help"})


def image(request: HttpRequest, name: str) -> HttpResponseBase:
    path = guide.image(name)
    if path is None:
        raise Http404
    resp = FileResponse(path.open("rb"), content_type="image/png")
    resp["Cache-Control"] = "public, max-age=3600"
    return resp
