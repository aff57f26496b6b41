"""What this area adds to the letter page: the thread (the letters it answers, its replies, replies being
drafted) with ตอบหนังสือนี้, ส่งต่อ for a received letter, and the printable receipt slip."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from saraban.access.principal import principal_for
from saraban.drafting import policy as drafting_policy
from saraban.drafting.models import Draft, DraftStatus
from saraban.exchange import forward as forwarding
from saraban.exchange import local
from saraban.exchange import node as node_mod
from saraban.exchange.models import Participant
from saraban.kernel.actor import signed_in
from saraban.kernel.errors import SarabanError
from saraban.letters import queries
from saraban.letters.models import Direction, Letter, LetterStatus
from saraban.orgs.queries import person_for_user
from saraban.registry import policy as registry_policy
from saraban.transport import once
from saraban.web import panels


def thread_panel(request: HttpRequest, letter: Letter) -> dict[str, Any]:
    p = principal_for(request.user)
    items = queries.thread(request.user, letter)
    drafts = [d for d in Draft.objects.filter(reply_to=letter).exclude(
        status__in=[DraftStatus.SIGNED, DraftStatus.CANCELLED]).order_by("created_at")
        if drafting_policy.can_view_draft(p, d)]
    may_reply = letter.status == LetterStatus.REGISTERED and person_for_user(request.user) is not None
    return {"letter": letter, "items": items, "drafts": drafts, "may_reply": may_reply,
            "token": once.new_token(request), "alone": len(items) == 1 and not drafts}


def forward_panel(request: HttpRequest, letter: Letter) -> dict[str, Any] | None:
    if letter.direction != Direction.INCOMING or letter.status != LetterStatus.REGISTERED:
        return None
    try:
        forwarding.check_forwardable(signed_in(request), letter)
    except SarabanError:
        return None
    choices = [x for x in Participant.objects.order_by("code") if x.code != letter.agency.code
               and (x.linked or local.served_here(x.code))]
    return {"letter": letter, "choices": choices, "configured": node_mod.configured(),
            "token": once.new_token(request)}


def receipt_panel(request: HttpRequest, letter: Letter) -> dict[str, Any] | None:
    if letter.direction != Direction.INCOMING or letter.status == LetterStatus.OUTSIDE:
        return None
    if not registry_policy.can_register_in(principal_for(request.user), letter.unit_id, letter.secrecy):
        return None
    return {"letter": letter}


def register() -> None:
    panels.letter_panel("correspondence/_thread.html", context=thread_panel, column="main", order=20)
    panels.letter_panel("correspondence/_forward.html", context=forward_panel, column="main", order=45)
    panels.letter_panel("correspondence/_receipt.html", context=receipt_panel, column="side", order=10)
