"""The SBX 1.0 envelope: building it, parsing and checking it.  The pydantic models are the published schema.

The envelope travels as exact bytes (UTF-8 JSON) and is what the CAdES signature covers; it never carries
the subject or other content (those live in the package).  Unknown fields are ignored (minor versions
may add some); an unknown major version is ``UNSUPPORTED_VERSION``.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from saraban.kernel import clock

from . import codes
from .errors import EnvelopeInvalid, UnsupportedVersion

OrgId = str


class _M(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Party(_M):
    org: OrgId = Field(pattern=r"^[a-z][a-z0-9-]*:[A-Za-z0-9._-]{1,64}$", description="th-org:<department code>")
    system: str = Field("SARABAN", max_length=64)
    via: OrgId | None = Field(None, description="the intermediary actually transmitting")


class Code(_M):
    code: str = Field(pattern=r"^[0-9]{3}$")
    label: str = Field(max_length=64)


class Payload(_M):
    media_type: str = Field(max_length=128)
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    encrypted: bool = False
    encrypted_for_cert_sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$")


class Evidence(_M):
    received_at: dt.datetime
    envelope_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    payload_sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$")
    receipt_id: str = Field(max_length=64)


class Business(_M):
    registration_no: str | None = Field(None, max_length=64)
    registration_display: str | None = Field(None, max_length=128)
    registration_date: dt.date | None = None
    registering_unit: str | None = Field(None, max_length=255)
    reason_code: str | None = Field(None, max_length=64)
    reason_text: str | None = Field(None, max_length=1000)


class Envelope(_M):
    """SBX 1.0 envelope (``application/vnd.sbx.envelope+json``)."""

    spec: str = Field(pattern=r"^sbx/[0-9]+\.[0-9]+$")
    message_id: uuid.UUID = Field(description="UUIDv7, the same on every retry")
    kind: Literal["letter", "signal"]
    signal: Literal[codes.SIGNALS] | None = None  # type: ignore[valid-type]
    letter_uuid: uuid.UUID
    in_reply_to: uuid.UUID | None = None
    created_at: dt.datetime
    expires_at: dt.datetime
    sender: Party
    recipient: Party
    priority: Code
    classification: Code
    payload: Payload | None = None
    evidence: Evidence | None = None
    business: Business | None = None
    ext: dict[str, Any] | None = None

    @field_validator("created_at", "expires_at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise ValueError("needs a UTC offset (RFC 3339)")
        return value


def rfc3339(instant: dt.datetime) -> str:
    return clock.to_bkk(instant).isoformat(timespec="seconds")


def dump(data: dict[str, Any]) -> bytes:
    """The envelope's bytes: compact UTF-8 JSON (what is signed and digested)."""
    return json.dumps({k: v for k, v in data.items() if v is not None}, ensure_ascii=False,
                      separators=(",", ":")).encode()


def build(*, message_id: uuid.UUID, kind: str, letter_uuid: uuid.UUID, sender_org: str, recipient_org: str,
          urgency: str, secrecy: str, created_at: dt.datetime, expires_at: dt.datetime, signal: str | None = None,
          in_reply_to: uuid.UUID | None = None, payload: dict[str, Any] | None = None,
          evidence: dict[str, Any] | None = None, business: dict[str, Any] | None = None) -> bytes:
    data: dict[str, Any] = {
        "spec": codes.SPEC, "message_id": str(message_id), "kind": kind, "signal": signal,
        "letter_uuid": str(letter_uuid), "in_reply_to": str(in_reply_to) if in_reply_to else None,
        "created_at": rfc3339(created_at), "expires_at": rfc3339(expires_at),
        "sender": {"org": sender_org, "system": codes.SYSTEM},
        "recipient": {"org": recipient_org, "system": codes.SYSTEM},
        "priority": codes.priority(urgency), "classification": codes.classification(secrecy),
        "payload": payload, "evidence": evidence,
        "business": {k: v for k, v in business.items() if v not in (None, "")} if business else None,
    }
    return dump(data)


def parse(raw: bytes) -> Envelope:
    """Parse and check envelope bytes; the version is checked first."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EnvelopeInvalid("ซองข้อความไม่ใช่ JSON ที่ถูกต้อง", "The envelope is not valid UTF-8 JSON") from exc
    if not isinstance(data, dict):
        raise EnvelopeInvalid("ซองข้อความต้องเป็นออบเจกต์ JSON", "The envelope must be a JSON object")
    spec = data.get("spec")
    if not isinstance(spec, str) or not spec.startswith("sbx/"):
        raise EnvelopeInvalid("ไม่ระบุรุ่นโพรโทคอล (spec)", "The envelope has no spec version")
    if spec.split("/", 1)[1].split(".")[0] != "1":
        raise UnsupportedVersion(details={"spec": spec, "supported": [codes.SPEC]})
    try:
        env = Envelope.model_validate(data)
    except ValidationError as exc:
        fields = [".".join(str(p) for p in e["loc"]) for e in exc.errors()]
        raise EnvelopeInvalid(f"ซองข้อความไม่ถูกต้อง: {', '.join(fields)}",
                              f"The envelope is invalid: {', '.join(fields)}", details={"fields": fields}) from exc
    if env.kind == "signal" and env.signal is None:
        raise EnvelopeInvalid("ซองสัญญาณต้องระบุ signal", "A signal envelope needs `signal`")
    if env.kind == "letter" and env.payload is None:
        raise EnvelopeInvalid("ซองหนังสือต้องมี payload", "A letter envelope needs `payload`")
    if env.priority.code not in codes.SPEED_TO_URGENCY or env.classification.code not in codes.SECRET_TO_SECRECY:
        raise EnvelopeInvalid("รหัสชั้นความเร็วหรือชั้นความลับไม่ถูกต้อง", "Unknown priority or classification code")
    return env
