"""What the records area adds: a navigation link for records officers, registrars and heads, and on the letter
page the filing panel (file code, retention class, keep-until year, or the tombstone once destroyed), the
loans panel and the secrecy-class panel (:mod:`.lending`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from saraban.letters.models import Letter
from saraban.records import retention as rt
from saraban.records.models import FileCode, Filing
from saraban.records.policy import agencies_for, is_keeper
from saraban.transport import once
from saraban.web import panels

from .lending import loans_panel, secrecy_panel


def filing_panel(request: HttpRequest, letter: Letter) -> dict[str, Any] | None:
    filing = Filing.objects.filter(letter=letter).select_related("file_code", "destruction_list").first()
    keeper = is_keeper(request.user, letter.agency)
    if filing is None and not keeper:
        return None
    return {"filing": filing, "letter": letter, "may_file": keeper and filing is None,
            "codes": FileCode.objects.filter(agency=letter.agency, active=True) if keeper else [],
            "classes": list(rt.LABEL_TH.items()), "token": once.new_token(request)}


def _visible(request: HttpRequest) -> bool:
    return bool(agencies_for(request.user))


def register() -> None:
    panels.nav_link("records", "งานเก็บรักษาหนังสือ", "Records", "/records/", order=35, visible=_visible)
    panels.nav_link("records-dashboard", "รายงานผู้บริหาร", "Executive dashboard", "/records/dashboard/", order=70)
    panels.letter_panel("records/_filing.html", context=filing_panel, column="main", order=60)
    panels.letter_panel("records/_loans.html", context=loans_panel, column="main", order=62)
    panels.letter_panel("records/_secrecy.html", context=secrecy_panel, column="main", order=64)
