"""Requests and responses of the exchange endpoints (/directory, /letters/{id}/dispatch, /exchange)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from ninja import Schema
from pydantic import Field


class ParticipantOut(Schema):
    code: str
    name: str
    name_en: str
    org: str
    ministry: str
    linked: bool
    email: str
    endpoint: str
    via: str


class DispatchIn(Schema):
    recipients: list[str] = Field(min_length=1, max_length=200, description="participant codes (GET /directory)")
    channel: Literal["sbx"] = "sbx"
    ttl_seconds: int | None = Field(None, ge=1, le=30 * 86400, description="keep trying this long (default 72 h)")


class FallbackOut(Schema):
    email: str
    paper: bool
    channels: list[str]


class DispatchOut(Schema):
    id: uuid.UUID
    recipient: str
    recipient_org: str
    recipient_name: str
    channel: str
    status: str
    status_label: str
    queued_at: dt.datetime
    delivered_at: dt.datetime | None
    status_at: dt.datetime
    signed: bool
    receipt_id: str
    registration_no: str | None
    registration_display: str | None
    registration_date: dt.date | None
    registering_unit: str | None
    registration_disputed: bool
    reason_code: str | None
    reason_text: str | None
    evidence: str | None
    message_id: uuid.UUID | None
    attempts: int
    expires_at: dt.datetime | None
    last_error: str | None
    fallback: FallbackOut | None
    fallback_of: uuid.UUID | None


class RejectedOut(Schema):
    id: uuid.UUID
    status: str
    reason_code: str


class SignalOut(Schema):
    message_id: uuid.UUID
    signal: str = Field(description="the signal sent back to the sender")


ISO = "date and time, ISO 8601 as Python gives it (microseconds, +00:00)"


class OutboxRowOut(Schema):
    message_id: uuid.UUID
    kind: str = Field(description="letter or signal")
    signal: str
    from_: str = Field(alias="from", description="sender's participant code")
    to: str
    status: str
    attempts: int
    route: str
    created_at: str = Field(description=ISO)
    next_attempt_at: str = Field(description=ISO)
    expires_at: str = Field(description=ISO)
    receipt_id: str
    last_error: str


class InboxRowOut(Schema):
    message_id: uuid.UUID
    kind: str = Field(description="letter or signal")
    signal: str
    from_: str = Field(alias="from", description="sender's participant code")
    to: str
    received_at: str = Field(description=ISO)
    receipt_id: str
    route: str
    intake_item: uuid.UUID | None
    mailbox: bool = Field(description="fetched from the sender's mailbox rather than pushed")


class QueuedOut(Schema):
    queued: bool


class AgencyRowOut(Schema):
    """One agency this month (saraban.exchange.queries.AgencyRow); shares are 0 to 1, or null when nothing was sent."""

    code: str
    name: str
    hosted: bool
    linked: bool
    endpoint: str
    sent_electronic: int
    sent_other: int
    received_electronic: int
    received_other: int
    signed_share: float | None
    paper_share: float | None
    failed: int
    electronic_share: float | None


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=1000)


class CodedReasonIn(Schema):
    reason_code: str = Field("OTHER", max_length=64)
    reason: str = Field(min_length=1, max_length=1000)


class FallbackIn(Schema):
    channel: Literal["email", "post", "messenger"]
    evidence: str = Field("", max_length=500, description="e-mail message id, tracking number, receipt slip")
