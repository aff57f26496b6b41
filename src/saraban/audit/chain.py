"""Canonical form and hashing of audit events.

Each event's *body* (everything but its position) is digested on its own; the chain then links
positions: ``hash = sha256(prev_hash ":" seq ":" body_digest)``.  Splitting it this way lets the database
append an event in one statement (it computes the link with its built-in ``sha256``), while an edit of
any column still changes the body digest, and a deleted, inserted or moved event breaks the links.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any


def canonical_body(
    *, uid: str, at: dt.datetime, actor_id: int | None, actor_name: str, action: str,
    object_type: str, object_id: str, data: Any,
) -> bytes:
    body = {
        "uid": uid,
        "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "data": data,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def body_digest(**fields: Any) -> str:
    return hashlib.sha256(canonical_body(**fields)).hexdigest()


def link(prev_hash: str, seq: int, digest: str) -> str:
    return hashlib.sha256(f"{prev_hash}:{seq}:{digest}".encode()).hexdigest()


def event_hash(*, seq: int, prev_hash: str, **body: Any) -> str:
    return link(prev_hash, seq, body_digest(**body))
