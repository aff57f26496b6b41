"""Shapes of the REST API's requests and responses shared by its routers, and the one error shape.

Every response body has a schema here or in its router, so ``/api/v1/openapi.json`` describes it; the
fields are listed in the order the body gives them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema


class Error(Schema):
    """Every error: a stable ``code`` and what went wrong in Thai (``message``, ``message_th``) and English."""

    code: str
    message: str
    message_th: str
    message_en: str
    details: dict[str, Any] | None = Field(None, description="what the error is about, when there is more to say "
                                                            "(e.g. the fields of an invalid input)")


def file_body(*content_types: str, description: str = "The file") -> dict[str, Any]:
    """``openapi_extra`` of an endpoint that answers a file (its bytes, not JSON)."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"responses": {200: {"description": description, "content": {t: binary for t in content_types}}}}


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
    """A file of a letter: its part (``letter``, ``enclosure``) or a copy derived from the letter."""

    id: uuid.UUID
    role: str = Field(description="letter | enclosure | presentation | signed | annex | numbered")
    name: str = Field(description="the file's original name")
    title: str = Field(description="an enclosure's สิ่งที่ส่งมาด้วย line")
    order: int = Field(description="place among the letter's parts (the letter 0, enclosures 1, 2, …)")
    sha256: str
    size: int
    content_type: str
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


class IntakeFileOut(Schema):
    """A file of a queued item: the letter (role ``letter``, first) or an enclosure."""

    id: uuid.UUID
    role: str = Field(description="letter | enclosure")
    name: str = Field(description="the file's original name")
    title: str = Field(description="an enclosure's สิ่งที่ส่งมาด้วย line")
    order: int
    sha256: str
    size: int
    content_type: str
    pages: int | None
    url: str


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
    metadata: dict[str, Any] = Field(description="the metadata the item came with (fields of POST /intake)")
    files: list[IntakeFileOut]


class BookOut(Schema):
    """A register book the caller may open."""

    unit: str
    unit_name: str
    kind: str
    kind_name: str
    year: int = Field(description="B.E.")
    last_number: int


class RoleOut(Schema):
    role: str
    unit: str


class MeOut(Schema):
    username: str
    name: str
    unit: str | None
    unit_name: str | None
    clearance: int
    roles: list[RoleOut]


class UnitOut(Schema):
    code: str
    name: str
    agency: str
    ref_prefix: str
    issues_numbers: bool
    parent: str | None


class CancelIn(Schema):
    reason: str


class RejectIn(Schema):
    reason: str = Field("", max_length=1000, description="words for the sender; required for reason_code OTHER")
    reason_code: str = Field("OTHER", max_length=64, description="NOT_ADDRESSEE, INCOMPLETE, UNREADABLE, "
                             "SIGNATURE_INVALID, CLASSIFICATION_NOT_ACCEPTED, DUPLICATE, CONTENT_ERROR or OTHER")


class ArrangeIn(Schema):
    """A new arrangement of an item's (or a draft's) files."""

    order: list[uuid.UUID] | None = Field(None, description="every file id once, in the new order")
    letter: uuid.UUID | None = Field(None, description="the file that is the letter (a PDF); the rest are "
                                                        "its enclosures")
    titles: dict[str, str] = Field(default_factory=dict, description="file id → สิ่งที่ส่งมาด้วย line")
