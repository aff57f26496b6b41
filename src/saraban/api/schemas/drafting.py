"""Requests and responses of the drafting, signature-validation and public verification endpoints."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema

from .enclosures import PartOut


class DraftIn(Schema):
    kind: str
    unit: str | None = None
    fields: dict[str, str] | None = None
    content: dict[str, Any] | None = None
    circular: bool = False


class SaveIn(Schema):
    base_version: int
    fields: dict[str, str] | None = None
    content: dict[str, Any] | None = None
    circular: bool | None = None
    note: str = ""


class SignerIn(Schema):
    person: str
    mode: str = "pki"
    position: str | None = None


class PeopleIn(Schema):
    reviewers: list[str] = []
    signers: list[SignerIn]
    preparer: str | None = None


class DecideIn(Schema):
    decision: str
    comment: str = ""


class CommentIn(Schema):
    text: str


class SignIn(Schema):
    pins: dict[str, str] = {}


class DraftCancelIn(Schema):
    reason: str = ""


# --- responses --------------------------------------------------------------------------------------

CONTENT = "the letter's structured content (saraban.letterpress.content; docs/drafting.md)"


class PersonRefOut(Schema):
    id: uuid.UUID
    username: str | None
    name: str


class SignerOut(PersonRefOut):
    mode: str = Field(description="pki, seal, typed or handwritten")
    position: str = Field(description="position lines as printed, one a line")


class ReviewStepOut(Schema):
    order: int
    person: PersonRefOut | None
    role: str
    state: str
    version: int | None
    comment: str
    diff: str
    decided_at: dt.datetime | None


class SignedByOut(Schema):
    name: str
    position: str
    mode: str
    certificate: str


class SignedOut(Schema):
    """A signed letter: its number, hash and signers, where to verify it and where to get it."""

    letter_id: uuid.UUID
    number: str
    book: str | None
    letter_date: dt.date
    sha256: str
    level: str = Field(description="PAdES level: B-B, B-T, B-LT or B-LTA")
    pages: int
    signed_at: dt.datetime
    verify_path: str
    signers: list[SignedByOut]
    file_url: str


class DraftOut(Schema):
    id: uuid.UUID
    letter_uuid: uuid.UUID
    kind: str
    status: str
    version: int
    approved_version: int | None
    subject: str
    urgency: str
    secrecy: str
    circular: bool
    unit: str
    drafter: PersonRefOut | None
    preparer: PersonRefOut | None
    checker: PersonRefOut | None
    content: dict[str, Any] = Field(description=CONTENT)
    reviewers: list[PersonRefOut]
    signers: list[SignerOut]
    round: int
    steps: list[ReviewStepOut] = Field(description="the current review round")
    enclosures: list[PartOut] = Field(description="files enclosed, in order; their titles are the สิ่งที่ส่งมาด้วย "
                                                  "lines")
    letter_id: uuid.UUID | None
    signed: SignedOut | None
    created_at: dt.datetime
    updated_at: dt.datetime


class DraftRowOut(Schema):
    id: uuid.UUID
    kind: str
    status: str
    subject: str
    version: int
    unit: str
    updated_at: dt.datetime


class CommentOut(Schema):
    id: uuid.UUID
    version: int
    text: str
    created_at: dt.datetime


class VersionRowOut(Schema):
    number: int
    author: PersonRefOut | None
    note: str
    created_at: dt.datetime


class VersionOut(Schema):
    number: int
    content: dict[str, Any] = Field(description=CONTENT)
    note: str
    created_at: dt.datetime


class DiffOut(Schema):
    from_: int = Field(alias="from")
    to: int
    diff: str = Field(description="unified diff of the letters' text")


class SignatureOut(Schema):
    """What one signature (or document time-stamp) in a PDF says (saraban.signing.validate.SignatureReport)."""

    field: str
    kind: str = Field(description="signature or timestamp")
    valid: bool
    signer: str
    signer_subject: str
    intact: bool
    trusted: bool
    chain: list[str]
    signing_time: dt.datetime | None
    time_trusted: bool
    coverage: str = Field(description="entire_file, entire_revision, partial or unclear")
    whole_document: bool
    modified_after: bool
    problems: list[str]
    level: str
    validated_at: dt.datetime | None


class ReportOut(Schema):
    """The validation of every signature in a PDF."""

    sha256: str
    signatures: list[SignatureOut]
    problems: list[str]
    validated_at: dt.datetime
    valid: bool


class ValidatedOut(ReportOut):
    text_th: str
    text_en: str


class FileReportOut(Schema):
    file: uuid.UUID
    role: str
    name: str
    sha256: str
    signatures: list[SignatureOut]
    problems: list[str]
    validated_at: dt.datetime
    valid: bool


class PublicSignatureOut(Schema):
    signer: str
    valid: bool
    time: dt.datetime | None
    time_trusted: bool
    level: str
    modified_after: bool


class PublicRecordOut(Schema):
    """What anyone may know of a signed letter; a classified one shows only that it was valid when signed."""

    agency: str
    sha256: str
    signed_at: dt.datetime
    level: str
    classified: bool
    valid_when_signed: bool | None = Field(None, description="classified letters only")
    number: str | None = Field(None, description="the rest: letters that are not classified")
    letter_date: dt.date | None = None
    kind: str | None = None
    pages: int | None = None
    signers: list[str] | None = None
    valid: bool | None = None
    signatures: list[PublicSignatureOut] | None = None


class ComparedOut(Schema):
    sha256: str
    matches: bool = Field(description="the upload is the signed letter, byte for byte")
    changed_after_signing: bool
    valid: bool | None = Field(None, description="letters that are not classified")
    report: ReportOut | None = None
