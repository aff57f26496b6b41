"""Schemas of /api/v1/records: file plans, filings, destruction lists and the 20-year handover."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema


class FileCodeIn(Schema):
    code: str = Field(max_length=64)
    title_th: str = Field(max_length=500)
    parent: str = Field("", max_length=64, description="the parent's code; blank at the top")
    title_en: str = Field("", max_length=500)
    retention: str = Field("10y", description="1y, 5y, 10y, permanent or special")
    special_years: int | None = None
    special_law: str = Field("", max_length=500)
    basis: str = Field("", max_length=500, description="why a class under 10 years is allowed (ข้อ 57)")


class FilePlanIn(Schema):
    codes: list[FileCodeIn]


class FileCodeOut(FileCodeIn):
    id: uuid.UUID
    depth: int


class SavedCodesOut(Schema):
    created: int
    updated: int


class FilingIn(Schema):
    file_code: str = Field(max_length=64, description="a code of the letter's agency's file plan")
    retention: str = Field("", description="blank: the file code's class")
    special_years: int | None = None
    special_law: str = Field("", max_length=500)
    completed_on: dt.date | None = Field(None, description="default today")
    authorisation: str = Field("", max_length=500, description="required to keep for less than the code's class (R39)")
    authorised_by: str = Field("", max_length=255)
    remark: str = Field("", max_length=1000)


class FilingOut(Schema):
    id: uuid.UUID
    letter_id: uuid.UUID
    file_code: str
    retention: str
    keep_until_be: int | None = Field(description="null: ห้ามทำลาย (permanent)")
    stamp: str = Field(description="the retention stamp's words")
    completed_on: dt.date
    authorisation: str
    state: str
    stamped_copy: uuid.UUID | None
    destroyed_at: dt.datetime | None
    destruction_list: uuid.UUID | None


class ListIn(Schema):
    agency: str = Field("", description="agency code; default your own")
    year_be: int


class ItemOut(Schema):
    id: uuid.UUID
    order: int
    filing_id: uuid.UUID
    letter_id: uuid.UUID
    file_code: str
    ref: str
    letter_date: dt.date | None
    subject: str = Field(description="'(หนังสือลับ)' for a classified letter")
    decision: str
    new_keep_until_be: int | None
    remark: str
    destroyed_at: dt.datetime | None


class MemberOut(Schema):
    person: uuid.UUID
    name: str
    role: str
    signed_at: dt.datetime | None
    record_signed_at: dt.datetime | None


class ListOut(Schema):
    id: uuid.UUID
    agency: str
    year_be: int
    state: str
    due_by: dt.date
    late: bool
    order_ref: str
    approved_at: dt.datetime | None
    sent_on: dt.date | None
    consent_on: dt.date | None = Field(description="destroyable from this day (60 days' silence, or the reply)")
    destroyed_at: dt.datetime | None
    items: list[ItemOut]
    committee: list[MemberOut]


class CommitteeIn(Schema):
    chair: uuid.UUID
    members: list[uuid.UUID] = Field(description="at least two besides the chair")
    order_ref: str = Field("", max_length=255)


class DecisionIn(Schema):
    item: uuid.UUID
    decision: str = Field(description="destroy or keep")
    keep_until_be: int | None = Field(None, description="required for keep")
    remark: str = Field("", max_length=1000)


class DecisionsIn(Schema):
    decisions: list[DecisionIn]


class SendIn(Schema):
    sent_on: dt.date
    ref: str = Field("", max_length=255)


class FadReplyIn(Schema):
    replied_on: dt.date
    keep: dict[str, int] = Field(default_factory=dict, description="item id → new keep-until year the FAD asks for")


class HandoverItemOut(Schema):
    filing_id: uuid.UUID
    letter_id: uuid.UUID
    file_code: str
    ref: str
    letter_date: dt.date | None
    subject: str


class HandoverOut(Schema):
    year_be: int
    deliver: list[HandoverItemOut] = Field(description="form 21: to the National Archives")
    keep: list[HandoverItemOut] = Field(description="form 22: kept by the agency")
