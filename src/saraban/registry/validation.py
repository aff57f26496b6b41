"""What a registration must carry.  Unknown values fail closed; nothing is guessed."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

KindValue = Literal["external", "memo", "stamped", "directive", "notice", "record"]
UrgencyValue = Literal["normal", "urgent", "very_urgent", "most_urgent"]
SecrecyValue = Literal["normal", "confidential", "secret", "top_secret"]
OutgoingBookValue = Literal["sent", "circular", "order", "announcement", "certificate", "secret_sent"]


def _clean(value: str) -> str:
    return " ".join(value.replace("\x00", "").split())


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _strip_controls(cls, value: object) -> object:
        if isinstance(value, str):
            return "".join(ch for ch in value if ch in "\t\n" or ord(ch) >= 32).strip()
        return value


class IncomingMetadata(_Base):
    their_ref: str = Field("", max_length=255, description="ที่ exactly as printed on the letter")
    their_date: dt.date = Field(description="ลงวันที่ of the letter (ISO date)")
    sender: str = Field(min_length=1, max_length=500, description="จาก")
    addressee: str = Field(min_length=1, max_length=500, description="ถึง")
    subject: str = Field(min_length=1, max_length=1000, description="เรื่อง")
    kind: KindValue = "external"
    urgency: UrgencyValue = "normal"
    secrecy: SecrecyValue = "normal"
    unit: str | None = Field(None, max_length=64, description="registering unit code; default the caller's unit")
    remark: str = Field("", max_length=1000)
    letter_uuid: uuid.UUID | None = Field(None, description="the sender's stable letter id, if it has one")
    allow_duplicate: bool = Field(False, description="register although it looks like an earlier letter")
    defects: str = Field("", max_length=1000, description="defects or missing enclosures noted when opening (R26)")

    @field_validator("sender", "addressee", "subject", "their_ref", "remark", "defects")
    @classmethod
    def _squash(cls, value: str) -> str:
        return _clean(value)


class OutgoingMetadata(_Base):
    book: OutgoingBookValue = "sent"
    letter_date: dt.date | None = Field(None, description="ลงวันที่; default today (Bangkok)")
    sender: str = Field("", max_length=500, description="จาก; default the numbering unit")
    addressee: str = Field("", max_length=500, description="ถึง: required for letters (sent, circular, secret); "
                                                          "orders, announcements and certificates have none")
    subject: str = Field(min_length=1, max_length=1000, description="เรื่อง")
    kind: KindValue = "external"
    urgency: UrgencyValue = "normal"
    secrecy: SecrecyValue = "normal"
    unit: str | None = Field(None, max_length=64)
    remark: str = Field("", max_length=1000)
    letter_uuid: uuid.UUID | None = None

    @field_validator("sender", "addressee", "subject", "remark")
    @classmethod
    def _squash(cls, value: str) -> str:
        return _clean(value)


class PlaceholderMetadata(_Base):
    """A ลับที่สุด letter: only a row saying it is handled outside the system."""

    direction: Literal["incoming", "outgoing"] = "incoming"
    their_ref: str = Field("", max_length=255)
    letter_date: dt.date | None = None
    sender: str = Field("", max_length=500)
    addressee: str = Field("", max_length=500)
    unit: str | None = Field(None, max_length=64)
    remark: str = Field("", max_length=1000)


class IntakeMetadata(_Base):
    """Whatever is known when an item arrives; all optional, completed at registration."""

    their_ref: str = Field("", max_length=255)
    their_date: dt.date | None = None
    sender: str = Field("", max_length=500)
    addressee: str = Field("", max_length=500)
    subject: str = Field("", max_length=1000)
    kind: KindValue = "external"
    urgency: UrgencyValue = "normal"
    secrecy: SecrecyValue = "normal"
    unit: str | None = Field(None, max_length=64)
    remark: str = Field("", max_length=1000)
    letter_uuid: uuid.UUID | None = None
