"""Requests and responses of /api/v1/records loans (form 24) and re-grading of classified letters."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from ninja import Schema
from pydantic import Field


class LoanIn(Schema):
    letter_id: uuid.UUID
    medium: Literal["electronic", "paper", "copy"] = Field(
        description="electronic: a time-limited access grant that ends by itself at the due time")
    scope: Literal["internal", "other_agency", "outsider"]
    due: dt.date | dt.datetime = Field(description="a date runs through that whole Bangkok day")
    purpose: str = Field(min_length=1, max_length=2000)
    borrower: str | None = Field(None, description="person id or username (required for electronic loans)")
    borrower_name: str = Field("", max_length=255)
    borrower_position: str = Field("", max_length=255)
    borrower_agency: str = Field("", max_length=255)
    receiver_name: str = Field("", max_length=255, description="ผู้รับ: who takes it (default: the borrower)")
    approver: str | None = Field(None, description="person id or username of a division head or higher "
                                                   "(required for other agencies and outsiders)")
    file_code: str = Field("", max_length=64)


class ReturnLoanIn(Schema):
    returner_name: str = Field("", max_length=255, description="ผู้ส่งคืน (default: the borrower)")


class LoanOut(Schema):
    id: uuid.UUID
    letter_id: uuid.UUID
    subject: str = Field(description="the letter's subject; a classified one only with need-to-know")
    file_code: str
    medium: str
    scope: str
    borrower_id: uuid.UUID | None
    borrower_name: str
    borrower_position: str
    borrower_agency: str
    receiver_name: str
    lent_at: dt.datetime
    due_at: dt.datetime
    approver_name: str
    approver_position: str
    approved_at: dt.datetime | None
    returned_at: dt.datetime | None
    returner_name: str
    out: bool = Field(description="still with the borrower (an electronic grant: still running)")
    overdue: bool


class RegradeIn(Schema):
    to: Literal["normal", "confidential", "secret", "top_secret"] = Field(
        description="the new class; normal declassifies; top_secret is refused (it stays out of the system)")
    reason: str = Field(min_length=1, max_length=4000)
    authority: str = Field("", max_length=500, description="the written order or note authorising it")


class RegradingOut(Schema):
    id: uuid.UUID
    letter_id: uuid.UUID
    change: str
    from_secrecy: str
    to_secrecy: str
    reason: str
    authority: str
    decided_by: str
    decided_by_position: str
    at: dt.datetime
    moved_from: list[str] = Field(description="register numbers closed in the book the letter left")
    moved_to: list[str] = Field(description="register numbers opened in the book the letter entered")
    files_encrypted: int


class CertifyIn(Schema):
    file_id: uuid.UUID | None = Field(None, description="the letter file to copy (default: the letter itself)")
    pin: str | None = Field(None, description="the certifier's key PIN (not needed when the agency seal signs)")


class CertifiedCopyOut(Schema):
    id: uuid.UUID
    loan_id: uuid.UUID
    source_file_id: uuid.UUID
    sha256: str
    certifier_name: str
    certifier_position: str
    signed: bool
    certified_at: dt.datetime
