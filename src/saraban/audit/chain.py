"""Canonical form and hashing of audit events."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any


def canonical(
    *, seq: int, uid: str, at: dt.datetime, actor_id: int | None, actor_name: str, action: str,
    object_type: str, object_id: str, data: Any, prev_hash: str,
) -> bytes:
    body = {
        "seq": seq,
        "uid": uid,
        "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "data": data,
        "prev_hash": prev_hash,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def event_hash(**fields: Any) -> str:
    return hashlib.sha256(canonical(**fields)).hexdigest()
