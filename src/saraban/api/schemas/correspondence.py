"""Shapes of reply, forward and the thread of a letter."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema


class ForwardIn(Schema):
    recipients: list[str] = Field(min_length=1, max_length=200, description="participant codes (GET /directory)")
    note: str = Field("", max_length=5000, description="the covering memo (บันทึกนำส่ง); empty: none")
    ttl_seconds: int | None = Field(None, ge=1, le=30 * 86400)


class ReplyIn(Schema):
    unit: str | None = Field(None, description="the unit that answers (default: the caller's)")


class ThreadLetterOut(Schema):
    id: uuid.UUID
    relation: str = Field(description="answered (an earlier letter this one answers), this, reply")
    depth: int
    direction: str
    their_ref: str
    letter_date: dt.date | None
    sender: str
    addressee: str
    subject: str
    status: str
    dispatch_state: str
    reply_to: uuid.UUID | None


class ReplyDraftOut(Schema):
    id: uuid.UUID
    status: str
    subject: str


class ThreadOut(Schema):
    letters: list[ThreadLetterOut]
    drafts: list[ReplyDraftOut] = Field(description="replies being drafted, that the caller may see")
