"""``/api/v1/docs``: Swagger UI from our own static files (swagger-ui-dist, vendored with its licence).

django-ninja's default page loads Swagger UI from a CDN unless ``ninja`` is an installed app; this page
never does, whatever the settings, and a strict Content-Security-Policy (no inline script) lets it run.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase, _csrf_needed

if TYPE_CHECKING:
    from ninja import NinjaAPI

SWAGGER_UI_VERSION = "5.35.0"


class VendoredSwagger(DocsBase):
    settings: dict[str, Any] = {"deepLinking": True, "docExpansion": "list"}

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        # json.dumps escapes nothing HTML cares about: "</" is written "<\/" so the block cannot be closed
        data = json.dumps({**self.settings, "url": self.get_openapi_url(api, kwargs)}).replace("</", "<\\/")
        return render(request, "api/swagger.html", {
            "swagger_settings": data, "api": api, "add_csrf": _csrf_needed(api),
        })
