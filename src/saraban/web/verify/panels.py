"""What signature validation adds to the web UI: a letter-page panel validating the letter's signed PDFs
(any letter, ours or received); it loads its report from :func:`.views.letter_signatures`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from saraban.letters.models import Letter
from saraban.web import panels


def signatures_panel(request: HttpRequest, letter: Letter) -> dict[str, Any] | None:
    has_pdf = letter.files.filter(role__in=("letter", "signed", "enclosure"),
                                  blob__content_type="application/pdf").exists()
    return {"letter": letter} if has_pdf else None


def register() -> None:
    panels.letter_panel("verify/_signatures_panel.html", context=signatures_panel, column="side", order=20)
