"""Form fields → plain dicts for the domain validators (which give the Thai/English errors)."""

from __future__ import annotations

import contextlib
from typing import Any

from django.http import QueryDict

from saraban.kernel.thai import parse_user_date

INCOMING_FIELDS = ("their_ref", "their_date", "sender", "addressee", "subject", "kind", "urgency", "secrecy",
                   "unit", "remark", "defects")
OUTGOING_FIELDS = ("book", "letter_date", "sender", "addressee", "subject", "kind", "urgency", "secrecy", "unit",
                   "remark")


DATE_FIELDS = ("their_date", "letter_date")


def pick(data: QueryDict, fields: tuple[str, ...]) -> dict[str, Any]:
    """The named fields; dates typed the Thai way (``5/1/2569``) become ISO dates for the validators."""
    out: dict[str, Any] = {}
    for name in fields:
        value = data.get(name)
        if value is None:
            continue
        value = value.strip()
        if value == "" and name in (*DATE_FIELDS, "unit"):
            continue
        if name in DATE_FIELDS:
            with contextlib.suppress(ValueError):  # else left as typed: the validator names the field
                value = parse_user_date(value).isoformat()
        out[name] = value
    if data.get("allow_duplicate") in ("1", "on", "true"):
        out["allow_duplicate"] = True
    return out
