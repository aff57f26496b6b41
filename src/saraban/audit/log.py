"""Writing to the audit log.  Only action functions call :func:`record`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import connection, transaction

from saraban.kernel import clock
from saraban.kernel.actions import mark_audited
from saraban.kernel.actor import Actor

from .chain import body_digest, link
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


def _append_sqlite(event: AuditEvent, digest: str) -> bool:
    """SQLite: the writer already holds the database (BEGIN IMMEDIATE); three quick in-process steps."""
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq, last_hash")
        row = cur.fetchone()
    if row is None:
        return False
    seq, prev = row
    event.seq, event.prev_hash = int(seq), str(prev)
    event.hash = link(event.prev_hash, event.seq, digest)
    event.save(force_insert=True)
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET last_hash = %s WHERE id = 1 AND last_seq = %s", [event.hash, event.seq])
        if cur.rowcount != 1:
            raise transaction.TransactionManagementError("audit head moved concurrently")
    return True


def _append_postgresql(event: AuditEvent, digest: str) -> bool:
    """PostgreSQL: lock the head, move it on, link and insert the event — one statement, one round trip.

    The head row stays locked until the action commits, so events are chained in commit order.
    """
    head = connection.ops.quote_name(AuditHead._meta.db_table)
    events = connection.ops.quote_name(AuditEvent._meta.db_table)
    sql = f"""
WITH old AS (SELECT last_seq, last_hash FROM {head} WHERE id = 1 FOR UPDATE),
moved AS (
  UPDATE {head} h SET last_seq = old.last_seq + 1,
    last_hash = encode(sha256(convert_to(old.last_hash || ':' || (old.last_seq + 1)::text || ':' || %s, 'UTF8')), 'hex')
  FROM old WHERE h.id = 1 RETURNING h.last_seq, h.last_hash, old.last_hash AS prev)
INSERT INTO {events} (seq, uid, at, actor_id, actor_name, action, object_type, object_id, data, prev_hash, hash)
SELECT moved.last_seq, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, moved.prev, moved.last_hash FROM moved
RETURNING seq, prev_hash, hash"""
    params = [digest, event.uid, event.at, event.actor_id, event.actor_name, event.action, event.object_type,
              event.object_id, json.dumps(event.data, ensure_ascii=False)]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    if row is None:
        return False
    event.seq, event.prev_hash, event.hash = int(row[0]), str(row[1]), str(row[2])
    if event.hash != link(event.prev_hash, event.seq, digest):  # the two hash implementations must agree
        raise transaction.TransactionManagementError("audit chain hash mismatch between database and Python")
    return True


def _ensure_head() -> None:
    if not AuditHead.objects.filter(id=1).exists():
        AuditHead.objects.bulk_create([AuditHead(id=1, last_seq=0, last_hash=GENESIS_HASH)], ignore_conflicts=True)


def record(
    action: str,
    *,
    actor: Actor = None,
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
    event = AuditEvent(at=clock.now(), actor_id=actor_id, actor_name=actor_name, action=action,
                       object_type=object_type, object_id=object_id, data=_plain(data or {}))
    digest = body_digest(uid=str(event.uid), at=event.at, actor_id=actor_id, actor_name=actor_name, action=action,
                         object_type=object_type, object_id=object_id, data=event.data)
    append = _append_postgresql if connection.vendor == "postgresql" else _append_sqlite
    if not append(event, digest):  # first event of a new database
        _ensure_head()
        append(event, digest)
    mark_audited(action)
    return event

