"""A person's notification settings, and marking their notices read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor

from .. import errors
from ..models import Notification, NotifyPreference
from .common import person_of


@action("routing.preferences")
def set_preferences(actor: Actor, *, email: bool, line: bool, line_user_id: str = "", mode: str = "each",
                    digest_hour: int = 7) -> NotifyPreference:
    person = person_of(actor)
    if mode not in NotifyPreference.Mode.values:
        raise errors.InvalidDue("รูปแบบการแจ้งเตือนไม่ถูกต้อง", "Unknown notification mode", code="invalid_mode")
    if not 0 <= digest_hour <= 23:
        raise errors.InvalidDue("ชั่วโมงต้องอยู่ระหว่าง 0–23", "The hour must be 0–23", code="invalid_hour")
    line_user_id = (line_user_id or "").strip()
    if line and not line_user_id:
        raise errors.EmptyText("ต้องระบุ LINE user ID เพื่อรับแจ้งเตือนทาง LINE",
                               "A LINE user ID is needed for LINE notifications", code="line_id_required")
    if email and not person.email:
        raise errors.EmptyText("ยังไม่มีอีเมลในข้อมูลบุคลากร", "Your person record has no e-mail address",
                               code="email_missing")
    pref, _ = NotifyPreference.objects.update_or_create(person=person, defaults={
        "email": email, "line": line, "line_user_id": line_user_id[:64], "mode": mode, "digest_hour": digest_hour})
    audit.record("routing.preferences", actor=actor, obj=pref, data={"email": email, "line": line, "mode": mode,
                                                                      "digest_hour": digest_hour})
    return pref


@action("routing.notifications_read")
def mark_read(actor: Actor, ids: Sequence[Any] | None = None) -> int:
    person = person_of(actor)
    qs = Notification.objects.filter(person=person, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=[str(i) for i in ids])
    n = qs.update(read_at=clock.now())
    audit.record("routing.notifications_read", actor=actor, object_type="orgs.person", object_id=str(person.pk),
                 data={"count": n})
    return n
