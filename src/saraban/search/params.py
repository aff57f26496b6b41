"""Reading a search's parameters (the search page's query string, a saved search) into filters, checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from saraban.kernel.models import LetterKind, Secrecy, Urgency
from saraban.kernel.thai import parse_user_date
from saraban.letters.models import Direction, LetterStatus
from saraban.registry.books import BookKind

from .errors import QueryInvalid
from .query import Filters

CHOICES = {"kind": LetterKind.values, "urgency": Urgency.values, "secrecy": Secrecy.values,
           "status": LetterStatus.values, "book": BookKind.values, "direction": Direction.values}
TRUE = {"1", "true", "on", "yes"}
FALSE = {"0", "false", "off", "no"}


def _bad(name: str, value: Any) -> QueryInvalid:
    return QueryInvalid(f"ตัวกรอง {name} ไม่ถูกต้อง: {str(value)[:50]}", f"Invalid filter {name}: {str(value)[:50]}",
                        details={"field": name})


def _date(name: str, value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return parse_user_date(str(value))
    except (ValueError, IndexError) as exc:
        raise _bad(name, value) from exc


def _bool(name: str, value: Any) -> bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    if str(value).lower() in TRUE:
        return True
    if str(value).lower() in FALSE:
        return False
    raise _bad(name, value)


def filters_from(data: Mapping[str, Any]) -> Filters:
    """Filters from parameters (strings as in a URL, or typed values); a bad value raises ``QueryInvalid``."""
    simple: dict[str, str] = {}
    for name, allowed in CHOICES.items():
        value = str(data.get(name) or "")
        if value and value not in allowed:
            raise _bad(name, value)
        simple[name] = value
    year_raw = data.get("year")
    try:
        year = int(str(year_raw)) if year_raw not in (None, "") else None
    except ValueError as exc:
        raise _bad("year", year_raw) from exc
    if year is not None and not 2400 <= year <= 2700:
        raise _bad("year", year_raw)
    date_from, date_to = _date("date_from", data.get("date_from")), _date("date_to", data.get("date_to"))
    if date_from and date_to and date_from > date_to:
        raise _bad("date_to", data.get("date_to"))
    unit = str(data.get("unit") or "")[:64]
    return Filters(**simple, date_from=date_from, date_to=date_to, unit=unit, year=year,
                   has_enclosures=_bool("has_enclosures", data.get("has_enclosures")),
                   assigned_to_me=bool(_bool("assigned_to_me", data.get("assigned_to_me"))))
