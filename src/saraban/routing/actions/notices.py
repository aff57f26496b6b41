"""A person's notification settings, linking their LINE account, and marking their notices read.

A LINE user id is never typed in: :func:`start_line_link` gives the person a one-time code, they send it to
the agency's LINE Official Account, and LINE's signed webhook tells :func:`link_line` which LINE user sent
it.  Whoever types someone else's id cannot make the system send that person's notices to them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from typing import Any

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.kernel.tasks import enqueue

from .. import errors
from ..models import LineLinkCode, Notification, NotifyPreference, Outbound
from ..notify.delivery import deliver
from .common import person_of

LINE_CODE_MINUTES = 15
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a screen and typed on a phone
LINE_LINKED_TEXT = "เชื่อมต่อ LINE กับระบบสารบรรณอิเล็กทรอนิกส์เรียบร้อยแล้ว ท่านจะได้รับการแจ้งเตือนทางช่องทางนี้"


def _code_digest(code: str) -> str:
    return hashlib.sha256(" ".join(code.upper().split()).replace(" ", "").encode()).hexdigest()


@action("routing.line_link_start")
def start_line_link(actor: Actor) -> tuple[str, dt.datetime]:
    """A fresh one-time code (``SB-XXXX-XXXX``, 40 bits) for the actor to send to the agency's LINE Official
    Account; any earlier unused code of theirs stops working."""
    person = person_of(actor)
    now = clock.now()
    LineLinkCode.objects.filter(person=person, used_at__isnull=True).delete()
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    code = f"SB-{raw[:4]}-{raw[4:]}"
    expires = now + dt.timedelta(minutes=LINE_CODE_MINUTES)
    row = LineLinkCode.objects.create(person=person, digest=_code_digest(code), created_at=now, expires_at=expires)
    audit.record("routing.line_link_start", actor=actor, obj=row, data={"expires_at": expires})
    return code, expires


@action("routing.line_link")
def link_line(code: str, line_user_id: str) -> NotifyPreference:
    """LINE's webhook says ``line_user_id`` sent ``code`` to our Official Account: link that LINE user to the
    code's person, turn LINE notices on and tell them so (through the outbox)."""
    now = clock.now()
    row = (LineLinkCode.objects.select_for_update().select_related("person")
           .filter(digest=_code_digest(code or ""), used_at__isnull=True, expires_at__gt=now).first())
    line_user_id = (line_user_id or "").strip()
    if row is None or not line_user_id or len(line_user_id) > 64:
        raise errors.LineCodeInvalid()
    LineLinkCode.objects.filter(pk=row.pk).update(used_at=now)
    pref, _ = NotifyPreference.objects.update_or_create(person=row.person, defaults={
        "line": True, "line_user_id": line_user_id})
    ob = Outbound.objects.create(person=row.person, channel="line", address=line_user_id, subject="",
                                 body=LINE_LINKED_TEXT, created_at=now)
    enqueue(deliver, str(ob.pk))
    audit.record("routing.line_link", actor=None, obj=pref, data={"person": str(row.person_id),
                                                                  "line_user": line_user_id})
    return pref


@action("routing.line_unlink")
def unlink_line(actor: Actor) -> NotifyPreference:
    person = person_of(actor)
    pref, _ = NotifyPreference.objects.update_or_create(person=person, defaults={"line": False, "line_user_id": ""})
    audit.record("routing.line_unlink", actor=actor, obj=pref, data={})
    return pref


@action("routing.preferences")
def set_preferences(actor: Actor, *, email: bool, line: bool, mode: str = "each",
                    digest_hour: int = 7) -> NotifyPreference:
    person = person_of(actor)
    if mode not in NotifyPreference.Mode.values:
        raise errors.InvalidDue("รูปแบบการแจ้งเตือนไม่ถูกต้อง", "Unknown notification mode", code="invalid_mode")
    if not 0 <= digest_hour <= 23:
        raise errors.InvalidDue("ชั่วโมงต้องอยู่ระหว่าง 0–23", "The hour must be 0–23", code="invalid_hour")
    current = NotifyPreference.objects.filter(person=person).first()
    if line and not (current and current.line_user_id):
        raise errors.LineNotLinked()
    if email and not person.email:
        raise errors.EmptyText("ยังไม่มีอีเมลในข้อมูลบุคลากร", "Your person record has no e-mail address",
                               code="email_missing")
    pref, _ = NotifyPreference.objects.update_or_create(person=person, defaults={
        "email": email, "line": line, "mode": mode, "digest_hour": digest_hour})
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
