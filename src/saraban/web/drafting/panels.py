"""What drafting adds to the web UI: a top-bar link and, for letters drafted here, a letter-page panel on who
drafted, typed, checked and signed them, with the file copy and the public verification page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from saraban.access.principal import principal_for
from saraban.drafting import policy
from saraban.drafting.models import Draft, SignedRecord
from saraban.letters.models import Letter
from saraban.web import panels


def drafting_panel(request: HttpRequest, letter: Letter) -> dict[str, Any] | None:
    record = (SignedRecord.objects.select_related("draft__drafter", "draft__preparer", "draft__checker", "entry__book")
              .filter(letter=letter).first())
    if record is None:
        return None
    return {"record": record, "draft": record.draft,
            "can_see_draft": policy.can_view_draft(principal_for(request.user), record.draft)}


def drafts_waiting(request: HttpRequest) -> int:
    """Drafts waiting for the person: their turn to review, or approved and theirs to sign (one query)."""
    p = principal_for(request.user)
    return Draft.objects.filter(policy.drafts_to_review_q(p) | policy.drafts_to_sign_q(p)).count()


def register() -> None:
    panels.nav_link("drafts", "ร่างหนังสือ", "Drafts", "/drafts/", order=15, count=drafts_waiting)
    panels.letter_panel("drafts/_drafting_panel.html", context=drafting_panel, column="main", order=15)
