"""What the register area adds to the letter page: for a reserved number (จองเลข), attaching the letter's PDF
(optionally stamped with its number and date) or cancelling the reservation with a reason."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from saraban.access.principal import principal_for
from saraban.letters.models import Letter
from saraban.registry import policy, reservations
from saraban.registry.models import RegisterEntry
from saraban.transport import once
from saraban.web import panels


def reservation_panel(request: HttpRequest, letter: Letter) -> dict[str, Any] | None:
    if not reservations.is_reservation(letter):
        return None
    p = principal_for(request.user)
    mine = letter.created_by_id == request.user.pk
    if not (policy.can_register_in(p, letter.unit_id, letter.secrecy) or mine):
        return None
    entry = RegisterEntry.objects.filter(letter=letter, cancelled=False).select_related("book__unit").first()
    if entry is None:
        return None
    return {"letter": letter, "entry": entry, "token": once.new_token(request),
            "may_cancel": policy.can_cancel_entry(p, entry)}


def register() -> None:
    panels.nav_link("registers", "ทะเบียน", "Registers", "/registers/", order=30)
    panels.letter_panel("registers/_reservation.html", context=reservation_panel, column="main", order=5)
