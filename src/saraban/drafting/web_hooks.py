"""What drafting adds to the web UI: a top-bar link, and two letter-page panels — the validation of
the letter's signed PDFs (any letter, ours or received) and, for letters drafted here, who drafted,
typed, checked and signed them, with the file copy and the public verification page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from saraban.letters.models import Letter
from saraban.web import panels

from .models import SignedRecord


def signatures_panel(request: HttpRequest, letter: Letter) -> dict[str, Any] | None:
    has_pdf = letter.files.filter(role__in=("original", "signed", "enclosure"),
                                  blob__content_type="application/pdf").exists()
    return {"letter": letter} if has_pdf else None


def drafting_panel(request: HttpRequest, letter: Letter) -> dict[str, Any] | None:
    record = (SignedRecord.objects.select_related("draft__drafter", "draft__preparer", "draft__checker", "entry__book")
              .filter(letter=letter).first())
    if record is None:
        return None
    from saraban.access.principal import principal_for

    from . import policy

    return {"record": record, "draft": record.draft,
            "can_see_draft": policy.can_view_draft(principal_for(request.user), record.draft)}


def register() -> None:
    panels.nav_link("drafts", "ร่างหนังสือ", "Drafts", "/drafts/", order=15)
    panels.letter_panel("drafts/_signatures_panel.html", context=signatures_panel, column="side", order=20)
    panels.letter_panel("drafts/_drafting_panel.html", context=drafting_panel, column="main", order=15)
