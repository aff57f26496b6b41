"""Response shapes of the REST API."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema


class Error(Schema):
    code: str
    message: str
    message_th: str
    message_en: str
    details: dict | None = None


class RegistrationOut(Schema):
    id: uuid.UUID
    book: str
    year: int
    number: int
    display: str
    unit: str
    registered_at: dt.datetime
    cancelled: bool


class RegisteredOut(Schema):
    id: uuid.UUID
    letter_uuid: uuid.UUID
    registration: RegistrationOut


class FileOut(Schema):
    id: uuid.UUID
    role: str
    name: str
    sha256: str
    size: int
    pages: int | None
    derived_from: uuid.UUID | None
    created_at: dt.datetime
    url: str


class EntryOut(Schema):
    id: uuid.UUID
    number: int
    display: str
    their_ref: str
    letter_date: dt.date | None
    sender: str
    addressee: str
    subject: str
    action: str
    remark: str
    registered_at: dt.datetime
    urgency: str
    secrecy: str
    cancelled: bool
    cancel_reason: str
    letter_id: uuid.UUID


class RegisterOut(Schema):
    book: str
    book_name: str
    year: int
    unit: str
    unit_name: str
    last_number: int
    entries: list[EntryOut]


class LetterOut(Schema):
    id: uuid.UUID
    letter_uuid: uuid.UUID
    direction: str
    kind: str
    their_ref: str
    letter_date: dt.date | None
    sender: str
    addressee: str
    subject: str
    urgency: str
    secrecy: str
    remark: str
    status: str
    channel: str
    unit: str
    created_at: dt.datetime
    registrations: list[RegistrationOut]
    files: list[FileOut]


class IntakeOut(Schema):
    id: uuid.UUID
    channel: str
    subject: str
    urgency: str
    secrecy: str
    unit: str
    received_at: dt.datetime
    status: str
    status_reason: str = ""
    metadata: dict
    files: list[dict]


class CancelIn(Schema):
    reason: str


class RejectIn(Schema):
    reason: str = Field("", max_length=1000, description="words for the sender; required for reason_code OTHER")
    reason_code: str = Field("OTHER", max_length=64, description="NOT_ADDRESSEE, INCOMPLETE, UNREADABLE, "
                             "SIGNATURE_INVALID, CLASSIFICATION_NOT_ACCEPTED, DUPLICATE, CONTENT_ERROR or OTHER")
