"""What a registration must carry.  Unknown values fail closed; nothing is guessed."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from saraban.kernel.thai import parse_user_date
from saraban.kernel.validation import official_date, optional_text, visible_text

KindValue = Literal["external", "memo", "stamped", "directive", "notice", "record"]
UrgencyValue = Literal["normal", "urgent", "very_urgent", "most_urgent"]
SecrecyValue = Literal["normal", "confidential", "secret", "top_secret"]
PrefillField = Literal["their_ref", "their_date", "sender", "subject", "addressee"]
OutgoingBookValue = Literal["sent", "circular", "order", "announcement", "certificate", "secret_sent"]


DATE_FIELDS = ("their_date", "letter_date")


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def be_or_ce_date(text: str) -> object:
    """An ISO date in either era (``2568-12-25`` as well as ``2025-12-25``); anything else is left for pydantic
    (the API takes ISO dates; the web forms read every Thai way of writing one before they get here)."""
    if not _ISO_DAY.fullmatch(text):
        return text
    try:
        return parse_user_date(text)
    except ValueError:
        return text


def _clean(value: str) -> str:
    return " ".join(value.replace("\x00", "").split())


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    REQUIRED_TEXT: ClassVar[tuple[str, ...]] = ()
    """Fields that must hold something visible; every other text field with nothing visible becomes empty."""

    @field_validator("*", mode="before")
    @classmethod
    def _strip_controls(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str):
            value = "".join(ch for ch in value if ch in "\t\n" or ord(ch) >= 32).strip()
            if info.field_name in DATE_FIELDS and value:
                return be_or_ce_date(value)
        return value

    @field_validator("*")
    @classmethod
    def _visible_and_dated(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str) and info.field_name not in ("unit", "book", "kind", "urgency", "secrecy",
                                                              "direction"):
            return visible_text(value) if info.field_name in cls.REQUIRED_TEXT else optional_text(value)
        if isinstance(value, dt.date):
            return official_date(value)
        return value


class IncomingMetadata(_Base):
    REQUIRED_TEXT: ClassVar[tuple[str, ...]] = ("sender", "addressee", "subject")
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
    reply_to_uuid: uuid.UUID | None = Field(None, description="the letter this one answers (the letter_uuid in its "
                                                              "อ้างถึง): linked both ways when it is ours")
    prefilled: list[PrefillField] = Field(default_factory=list, description="fields the desk pre-filled from the "
                                                                           "file (recorded with the registration)")
    allow_duplicate: bool = Field(False, description="register although it looks like an earlier letter")
    defects: str = Field("", max_length=1000, description="defects or missing enclosures noted when opening (R26)")

    @field_validator("sender", "addressee", "subject", "their_ref", "remark", "defects")
    @classmethod
    def _squash(cls, value: str) -> str:
        return _clean(value)


class OutgoingMetadata(_Base):
    REQUIRED_TEXT: ClassVar[tuple[str, ...]] = ("addressee", "subject")
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

    reply_to_uuid: uuid.UUID | None = None
    prefilled: list[PrefillField] = Field(default_factory=list)

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
