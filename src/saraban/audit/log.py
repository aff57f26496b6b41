"""Writing to the audit log.  Only action functions call :func:`record`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import connection, transaction
from django.db.models import F

from saraban.kernel import clock
from saraban.kernel.actions import mark_audited

from .chain import event_hash
from .models import GENESIS_HASH, AuditEvent, AuditHead


def _plain(data: Any) -> Any:
    """JSON-safe copy of ``data`` with a stable form (what the database gives back)."""

    def default(value: Any) -> str:
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC).isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)

    return json.loads(json.dumps(data, default=default, ensure_ascii=False))


def _lock_head() -> AuditHead:
    if connection.vendor == "postgresql":
        head = AuditHead.objects.select_for_update().filter(id=1).first()
    else:  # SQLite: the IMMEDIATE transaction already holds the write lock
        head = AuditHead.objects.filter(id=1).first()
    if head is None:
        AuditHead.objects.bulk_create([AuditHead(id=1, last_seq=0, last_hash=GENESIS_HASH)], ignore_conflicts=True)
        return _lock_head()
    return head


def record(
    action: str,
    *,
    actor: Any = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event; must run inside the action's transaction (it is the action's last write)."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must run inside a transaction")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    actor_id = getattr(actor, "pk", None)
    actor_name = getattr(actor, "get_username", lambda: "")() if actor is not None else "system"
    payload = _plain(data or {})
    head = _lock_head()
    seq = head.last_seq + 1
    event = AuditEvent(
        seq=seq, at=clock.now(), actor_id=actor_id, actor_name=actor_name, action=action,
        object_type=object_type, object_id=object_id, data=payload, prev_hash=head.last_hash,
    )
    event.hash = event_hash(
        seq=seq, uid=str(event.uid), at=event.at, actor_id=actor_id, actor_name=actor_name, action=action,
        object_type=object_type, object_id=object_id, data=payload, prev_hash=head.last_hash,
    )
    event.save(force_insert=True)
    updated = AuditHead.objects.filter(id=1, last_seq=head.last_seq).update(
        last_seq=F("last_seq") + 1, last_hash=event.hash
    )
    if updated != 1:  # someone else moved the head: the lock did not hold
        raise transaction.TransactionManagementError("audit head moved concurrently")
    mark_audited(action)
    return event
