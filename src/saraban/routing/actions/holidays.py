"""The working-day calendar's holidays: added, removed and loaded by administrators."""

from __future__ import annotations

import datetime as dt
from typing import Any

from saraban.audit import log as audit
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor

from .. import errors
from ..models import Holiday
from .common import clean, require_admin


@action("routing.holiday_add")
def add_holiday(actor: Actor, day: dt.date, name_th: str, *, name_en: str = "", kind: str = Holiday.Kind.LOCAL,
                source: str = "") -> Holiday:
    require_admin(actor)
    name_th = clean(name_th, 255)
    if not name_th:
        raise errors.EmptyText("ต้องระบุชื่อวันหยุด", "The holiday's name is required")
    if kind not in Holiday.Kind.values:
        raise errors.InvalidDue("ประเภทวันหยุดไม่ถูกต้อง", "Unknown holiday kind", code="invalid_kind")
    if Holiday.objects.filter(day=day).exists():
        raise errors.HolidayExists(details={"day": day.isoformat()})
    h = Holiday.objects.create(day=day, name_th=name_th, name_en=clean(name_en, 255), kind=kind, source=source[:500])
    audit.record("routing.holiday_add", actor=actor, obj=h, data={"day": day.isoformat(), "name": name_th,
                                                                   "kind": kind})
    return h


@action("routing.holiday_remove")
def remove_holiday(actor: Actor, day: dt.date) -> None:
    require_admin(actor)
    h = Holiday.objects.filter(day=day).first()
    if h is None:
        raise errors.UnknownTarget("ไม่มีวันหยุดในวันนี้", "No holiday on this day", code="holiday_not_found",
                                   status=404)
    data = {"day": day.isoformat(), "name": h.name_th, "kind": h.kind}
    h.delete()
    audit.record("routing.holiday_remove", actor=actor, object_type="routing.holiday", object_id=day.isoformat(),
                 data=data)


@action("routing.holidays_load")
def load_holidays(actor: Actor, data: dict[str, Any]) -> int:
    """Load a year's list from the shipped data format (adds missing days, keeps the administrator's)."""
    if actor is not None:
        require_admin(actor)
    added = 0
    for h in data.get("holiday", []):
        _, created = Holiday.objects.get_or_create(day=h["day"], defaults={
            "name_th": h["name_th"], "name_en": h.get("name_en", ""), "kind": h.get("kind", "official"),
            "source": data.get("source", "")[:500]})
        added += int(created)
    audit.record("routing.holidays_load", actor=actor, object_type="routing.holiday",
                 object_id=str(data.get("year_be", "")), data={"added": added})
    return added
