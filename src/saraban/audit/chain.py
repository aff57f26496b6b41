"""Canonical form and hashing of audit events.

Each event's *body* (everything but its position) is digested on its own; the chain then links
positions: ``hash = HMAC-SHA256(key, prev_hash ":" seq ":" body_digest)`` with the chain key that lives
outside the database (:mod:`.keys`; the event records the key's id).  Splitting it this way lets the
database append an event in one statement (it computes the HMAC from the key's pads with its built-in
``sha256``), while an edit of any column still changes the body digest, and a deleted, inserted or moved
event breaks the links.  Events written before the chain was keyed (``key_id`` empty) keep their plain
``sha256`` links and still verify; signed checkpoints (:mod:`saraban.ops.checkpoints`) seal them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
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


def link(prev_hash: str, seq: int, digest: str, key: bytes | None = None) -> str:
    """The chain link; keyed (HMAC) when ``key`` is given, plain SHA-256 for events from before keying."""
    message = f"{prev_hash}:{seq}:{digest}"
    if key is None:
        return hashlib.sha256(message.encode()).hexdigest()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def event_hash(*, seq: int, prev_hash: str, key: bytes | None = None, **body: Any) -> str:
    return link(prev_hash, seq, body_digest(**body), key)
