"""Business signals: queueing them (as outbox rows) and applying those that arrive.

Helpers for actions and in-transaction hook handlers: they write rows, never audit events (the action
that calls them owns its one event).  Signals may arrive in any order: a dispatch's status only moves
forward (``registered`` before the sender recorded ``delivered`` is fine), except that a registered
letter may later be reported ``invalid``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from saraban.kernel import clock

from . import outbox
from .models import Dispatch, DispatchStatus, InboundMessage, OutboxMessage

RANK = {
    DispatchStatus.QUEUED: 0, DispatchStatus.FAILED: 1, DispatchStatus.DELIVERED: 2, DispatchStatus.SENT: 2,
    DispatchStatus.REGISTERED: 3, DispatchStatus.REJECTED: 3, DispatchStatus.INVALID: 4,
    DispatchStatus.WITHDRAWN: 5,
}


def may_move(current: str, new: str) -> bool:
    if current == new:
        return False
    if current in (DispatchStatus.REJECTED, DispatchStatus.WITHDRAWN):
        return False
    return RANK[DispatchStatus(new)] > RANK[DispatchStatus(current)]


def ttl() -> dt.timedelta:
    return dt.timedelta(hours=72)


def queue(*, sender_code: str, recipient_code: str, signal: str, letter_uuid: uuid.UUID, in_reply_to: uuid.UUID,
          urgency: str = "normal", secrecy: str = "normal", business: dict[str, Any] | None = None) -> OutboxMessage:
    """An outbox row for a signal; the worker signs and sends it (with retries until it expires)."""
    return outbox.schedule(kind="signal", sender_code=sender_code, recipient_code=recipient_code,
                           letter_uuid=letter_uuid, expires_at=clock.now() + ttl(), signal=signal,
                           in_reply_to=in_reply_to, business=business or {}, urgency=urgency, secrecy=secrecy)


def answer(inbound: InboundMessage, signal: str, business: dict[str, Any]) -> OutboxMessage:
    """Queue a signal answering a letter we received (registered, rejected, invalid)."""
    return queue(sender_code=inbound.recipient_code, recipient_code=inbound.sender_code, signal=signal,
                 letter_uuid=inbound.letter_uuid, in_reply_to=inbound.message_id, urgency=inbound.urgency,
                 business=business)


def about_dispatch(dispatch: Dispatch, signal: str, business: dict[str, Any]) -> OutboxMessage:
    """Queue a signal about a letter we sent (withdrawn, registration_invalid)."""
    sent = dispatch.message  # type: ignore[attr-defined]
    return queue(sender_code=sent.sender_code, recipient_code=sent.recipient_code, signal=signal,
                 letter_uuid=sent.letter_uuid, in_reply_to=sent.message_id, urgency=sent.urgency,
                 business=business)


def apply(inbound: InboundMessage) -> str:
    """Apply a received signal to what it answers; returns what happened (for the audit event)."""
    business = inbound.business or {}
    if inbound.signal in ("registered", "rejected", "invalid", "status"):
        sent = OutboxMessage.objects.select_related("dispatch").filter(
            message_id=inbound.in_reply_to, kind="letter", recipient_code=inbound.sender_code).first()
        if sent is None or sent.dispatch is None:
            return "unmatched"
        d = sent.dispatch
        if inbound.signal == "status":
            return "noted"
        if not may_move(d.status, inbound.signal):
            return f"ignored:{d.status}"
        d.status = inbound.signal
        d.status_at = clock.now()
        if inbound.signal == "registered":
            d.registration_no = business.get("registration_no") or ""
            d.registration_display = business.get("registration_display") or d.registration_no
            reg_date = business.get("registration_date")
            d.registration_date = dt.date.fromisoformat(reg_date) if reg_date else None
            d.registering_unit = business.get("registering_unit") or ""
        else:
            d.reason_code = business.get("reason_code") or "OTHER"
            d.reason_text = business.get("reason_text") or ""
        if d.delivered_at is None:
            d.delivered_at = inbound.received_at
        d.save()
        return inbound.signal
    if inbound.signal in ("withdrawn", "registration_invalid"):
        original = InboundMessage.objects.filter(message_id=inbound.in_reply_to, sender_org=inbound.sender_org,
                                                 kind="letter").first()
        if original is None:
            return "unmatched"
        text = business.get("reason_text") or ""
        if inbound.signal == "withdrawn":
            InboundMessage.objects.filter(pk=original.pk).update(withdrawn_at=inbound.received_at,
                                                                 withdrawn_reason=text[:1000])
        else:
            InboundMessage.objects.filter(pk=original.pk).update(registration_disputed=text[:1000] or "-")
        return inbound.signal
    return "noted"
