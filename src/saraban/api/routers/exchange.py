"""REST API of the exchange: the directory, sending a letter and its per-recipient status, operators' views."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from django.http import HttpRequest
from ninja import Router, Status

from saraban.access.principal import principal_for
from saraban.api.auth import caller
from saraban.exchange import actions, policy, queries
from saraban.exchange.models import Dispatch, InboundMessage, OutboxMessage, Participant
from saraban.intake import actions as intake
from saraban.intake import policy as intake_policy
from saraban.intake.models import IntakeItem
from saraban.kernel.errors import NotFound, PermissionDenied
from saraban.letters import queries as letter_queries
from saraban.transport import once

from ..schemas import Error
from ..schemas.exchange import (
    AgencyRowOut,
    CodedReasonIn,
    DispatchIn,
    DispatchOut,
    FallbackIn,
    InboxRowOut,
    OutboxRowOut,
    ParticipantOut,
    QueuedOut,
    ReasonIn,
    RejectedOut,
    SignalOut,
)

ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error, 503: Error}

directory_router = Router(tags=["exchange"])
letters_router = Router(tags=["exchange"])
router = Router(tags=["exchange"], by_alias=True)  # OutboxRowOut.from_ and InboxRowOut.from_ are "from"


@directory_router.get("", response={200: list[ParticipantOut], **ERRORS},
                      summary="Participants of the exchange directory (code and Thai name)")
def list_directory(request: HttpRequest):
    return Status(200, [{"code": p.code, "name": p.name_th, "name_en": p.name_en, "org": p.org, "ministry": p.ministry,
                         "linked": p.linked, "email": p.email, "endpoint": p.endpoint, "via": p.via}
                        for p in Participant.objects.order_by("code")])


def _dispatch_rows(letter) -> list[dict]:  # type: ignore[no-untyped-def]
    return [queries.dispatch_row(d) for d in queries.dispatches(letter)]


@letters_router.post("/{letter_id}/dispatch", response={201: list[DispatchOut], **ERRORS},
                     summary="Send an issued letter to agencies (SBX); one status per recipient")
def post_dispatch(request: HttpRequest, letter_id: uuid.UUID, payload: DispatchIn):
    letter = letter_queries.letter_for(caller(request), letter_id)

    def do() -> list:
        ttl = dt.timedelta(seconds=payload.ttl_seconds) if payload.ttl_seconds else None
        made = actions.dispatch(caller(request), letter, payload.recipients, ttl=ttl)
        rows = [queries.dispatch_row(Dispatch.objects.select_related("message").get(pk=d.pk)) for d in made]
        return json.loads(json.dumps(rows, default=str))

    return once.api(request, {"letter": str(letter_id), **payload.model_dump()}, do, 201)


@letters_router.get("/{letter_id}/dispatch", response={200: list[DispatchOut], **ERRORS},
                    summary="Per recipient: queued, delivered, registered (their number), rejected, failed …")
def get_dispatch(request: HttpRequest, letter_id: uuid.UUID):
    return Status(200, _dispatch_rows(letter_queries.letter_for(caller(request), letter_id)))


def _dispatch(request: HttpRequest, dispatch_id: uuid.UUID) -> Dispatch:
    d = Dispatch.objects.select_related("letter").filter(pk=dispatch_id).first()
    if d is None:
        raise NotFound("ไม่พบรายการส่ง", "Dispatch not found", code="dispatch_not_found")
    letter_queries.letter_for(caller(request), d.letter_id)
    return d


def _one(d: Dispatch) -> dict:
    return json.loads(json.dumps(queries.dispatch_row(Dispatch.objects.select_related("message").get(pk=d.pk)),
                                 default=str))


@router.post("/dispatches/{dispatch_id}/withdraw", response={200: DispatchOut, **ERRORS},
             summary="Recall a sent letter (the recipient gets `withdrawn`)")
def withdraw(request: HttpRequest, dispatch_id: uuid.UUID, payload: ReasonIn):
    d = _dispatch(request, dispatch_id)
    return once.api(request, {"d": str(dispatch_id), "r": payload.reason},
                    lambda: _one(actions.withdraw(caller(request), d, payload.reason)))


@router.post("/dispatches/{dispatch_id}/dispute", response={200: DispatchOut, **ERRORS},
             summary="Tell the recipient its reported registration number is wrong (`registration_invalid`)")
def dispute(request: HttpRequest, dispatch_id: uuid.UUID, payload: ReasonIn):
    d = _dispatch(request, dispatch_id)
    return once.api(request, {"d": str(dispatch_id), "r": payload.reason},
                    lambda: _one(actions.dispute_registration(caller(request), d, payload.reason)))


@router.post("/dispatches/{dispatch_id}/fallback", response={201: DispatchOut, **ERRORS},
             summary="Record that a failed delivery went by e-mail, post or messenger instead")
def fallback(request: HttpRequest, dispatch_id: uuid.UUID, payload: FallbackIn):
    d = _dispatch(request, dispatch_id)
    return once.api(request, {"d": str(dispatch_id), **payload.model_dump()},
                    lambda: _one(actions.record_fallback(caller(request), d, payload.channel, payload.evidence)), 201)


@router.post("/intake/{item_id}/reject", response={200: RejectedOut, **ERRORS},
             summary="Return a letter that came by SBX with a coded reason (`rejected` goes back)")
def reject(request: HttpRequest, item_id: uuid.UUID, payload: CodedReasonIn):
    item = IntakeItem.objects.filter(pk=item_id).first()
    if item is None or not intake_policy.can_view_intake(principal_for(caller(request)), item.unit_id, item.secrecy):
        raise NotFound("ไม่พบรายการรอลงทะเบียน", "Intake item not found", code="intake_not_found")

    def do() -> dict:
        done = intake.reject(caller(request), item, payload.reason, payload.reason_code)
        return {"id": str(done.pk), "status": done.status, "reason_code": payload.reason_code}

    return once.api(request, {"item": str(item_id), **payload.model_dump()}, do)


@router.post("/letters/{letter_id}/invalid", response={200: SignalOut, **ERRORS},
             summary="Tell the sender a letter received by SBX is wrong (`invalid`)")
def invalid(request: HttpRequest, letter_id: uuid.UUID, payload: CodedReasonIn):
    letter = letter_queries.letter_for(caller(request), letter_id)

    def do() -> dict:
        m = actions.report_invalid(caller(request), letter, payload.reason_code, payload.reason)
        return {"message_id": str(m.message_id), "signal": "invalid"}

    return once.api(request, {"letter": str(letter_id), **payload.model_dump()}, do)


def _admin(request: HttpRequest) -> None:
    if not policy.can_admin_exchange(principal_for(caller(request))):
        raise PermissionDenied()


@router.get("/outbox", response={200: list[OutboxRowOut], **ERRORS}, summary="Messages to send and sent (operators)")
def outbox(request: HttpRequest, status: str = "pending", limit: int = 100):
    _admin(request)
    qs = OutboxMessage.objects.order_by("-created_at")
    if status != "all":
        qs = qs.filter(status=status)
    return Status(200, [{"message_id": str(m.message_id), "kind": m.kind, "signal": m.signal, "from": m.sender_code,
                         "to": m.recipient_code, "status": m.status, "attempts": m.attempts, "route": m.route,
                         "created_at": m.created_at.isoformat(), "next_attempt_at": m.next_attempt_at.isoformat(),
                         "expires_at": m.expires_at.isoformat(), "receipt_id": m.receipt_id,
                         "last_error": f"{m.last_error_code} {m.last_error}".strip()}
                        for m in qs[: max(1, min(limit, 1000))]])


@router.get("/inbox", response={200: list[InboxRowOut], **ERRORS}, summary="Messages received (operators)")
def inbox(request: HttpRequest, limit: int = 100):
    _admin(request)
    return Status(200, [{"message_id": str(m.message_id), "kind": m.kind, "signal": m.signal, "from": m.sender_code,
                         "to": m.recipient_code, "received_at": m.received_at.isoformat(), "receipt_id": m.receipt_id,
                         "route": m.route, "intake_item": str(m.intake_item_id) if m.intake_item_id else None,
                         "mailbox": m.mailbox}
                        for m in InboundMessage.objects.order_by("-received_at")[: max(1, min(limit, 1000))]])


@router.post("/directory/refresh", response={202: QueuedOut, **ERRORS}, summary="Fetch the directory again (queued)")
def refresh_directory(request: HttpRequest):
    _admin(request)
    from saraban.exchange.tasks import refresh_directory as task
    from saraban.kernel.tasks import enqueue

    enqueue(task)
    return Status(202, {"queued": True})


@router.get("/dashboard", response={200: list[AgencyRowOut], **ERRORS},
            summary="Per agency this month (ministry dashboard)")
def dashboard(request: HttpRequest):
    if not policy.can_view_exchange_dashboard(principal_for(caller(request))):
        raise PermissionDenied()
    return Status(200, [{**r.__dict__, "electronic_share": r.electronic_share} for r in queries.dashboard()])
