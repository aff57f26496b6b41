"""/api/v1/letters/{id}/reply, /forward and /thread: answering a letter, passing it on, and its thread."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from saraban.access.principal import principal_for
from saraban.drafting import actions as drafting
from saraban.drafting import policy as drafting_policy
from saraban.drafting.models import Draft, DraftStatus
from saraban.exchange import forward as forwarding
from saraban.exchange import queries as exchange_queries
from saraban.exchange.models import Dispatch
from saraban.letters import queries as letter_queries
from saraban.letters.reads import record_read
from saraban.transport import once

from ..auth import caller
from ..schemas import Error
from ..schemas.correspondence import ForwardIn, ReplyIn, ThreadOut
from ..schemas.drafting import DraftOut
from ..schemas.exchange import DispatchOut
from .drafting import draft_out

router = Router(tags=["letters"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 413: Error, 422: Error}


def _json(data: Any) -> Any:
    return json.loads(json.dumps(data, default=str, ensure_ascii=False))


@router.post("/{letter_id}/reply", response={201: DraftOut, **ERRORS},
             summary="ตอบหนังสือนี้: start a draft answering the letter (its อ้างถึง, addressee and subject)")
def reply(request: HttpRequest, letter_id: uuid.UUID, payload: ReplyIn | None = None):
    unit = payload.unit if payload else None

    def do() -> Any:
        draft = drafting.start_reply(caller(request), letter_id, unit=unit)
        return _json(draft_out(draft))

    return once.api(request, {"reply": str(letter_id), "unit": unit}, do, 201)


@router.post("/{letter_id}/forward", response={201: list[DispatchOut], **ERRORS},
             summary="ส่งต่อ: pass a received letter on by SBX, as it came, with an optional covering memo")
def forward(request: HttpRequest, letter_id: uuid.UUID, payload: ForwardIn):
    letter = letter_queries.letter_for(caller(request), letter_id)

    def do() -> Any:
        ttl = dt.timedelta(seconds=payload.ttl_seconds) if payload.ttl_seconds else None
        made = forwarding.forward(caller(request), letter, payload.recipients, note=payload.note, ttl=ttl)
        return _json([exchange_queries.dispatch_row(Dispatch.objects.select_related("message").get(pk=d.pk))
                      for d in made])

    return once.api(request, {"forward": str(letter_id), **payload.model_dump()}, do, 201)


@router.get("/{letter_id}/thread", response={200: ThreadOut, **ERRORS},
            summary="The letters this one answers, and its replies (those the caller may see)")
def thread(request: HttpRequest, letter_id: uuid.UUID):
    letter = letter_queries.letter_for(caller(request), letter_id)
    items = letter_queries.thread(caller(request), letter)
    p = principal_for(caller(request))
    drafts = [d for d in Draft.objects.filter(reply_to=letter).exclude(status__in=[DraftStatus.SIGNED,
                                                                                   DraftStatus.CANCELLED])
              if drafting_policy.can_view_draft(p, d)]
    record_read(caller(request), letter, via="api.thread", role="thread",
                listed=[i.letter for i in items] + drafts)
    return Status(200, {
        "letters": [{"id": i.letter.pk, "relation": i.relation, "depth": i.depth, "direction": i.letter.direction,
                     "their_ref": i.letter.their_ref, "letter_date": i.letter.letter_date, "sender": i.letter.sender,
                     "addressee": i.letter.addressee, "subject": i.letter.subject, "status": i.letter.status,
                     "dispatch_state": i.letter.dispatch_state, "reply_to": i.letter.reply_to_id} for i in items],
        "drafts": [{"id": d.pk, "status": d.status, "subject": d.subject} for d in drafts],
    })
