"""Form fields → plain dicts for the domain validators (which give the Thai/English errors)."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

INCOMING_FIELDS = ("their_ref", "their_date", "sender", "addressee", "subject", "kind", "urgency", "secrecy",
                   "unit", "remark")
OUTGOING_FIELDS = ("book", "letter_date", "sender", "addressee", "subject", "kind", "urgency", "secrecy", "unit",
                   "remark")


def pick(data: QueryDict, fields: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        value = data.get(name)
        if value is None:
            continue
        value = value.strip()
        if value == "" and name in ("their_date", "letter_date", "unit"):
            continue
        out[name] = value
    if data.get("allow_duplicate") in ("1", "on", "true"):
        out["allow_duplicate"] = True
    return out
