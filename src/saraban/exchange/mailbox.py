"""Pull mode: a participant that cannot expose an endpoint fetches its messages from the mailbox its
intermediary keeps (``via`` in the directory), processes each one exactly like a pushed message, and
acknowledges it only after committing it here (at-least-once; the message id deduplicates)."""

from __future__ import annotations

import logging
from typing import Any

from . import directory, inbox, wire
from .errors import SbxError
from .models import Participant
from .transport import https

log = logging.getLogger(__name__)


def pull(code: str, *, limit: int = 50) -> dict[str, int]:
    """Fetch, accept and acknowledge what the intermediary holds for agency ``code`` of this node."""
    me = directory.participant(code)
    if not me.via:
        return {}
    host = Participant.objects.get(org=me.via)
    base = host.endpoint.rstrip("/")
    counts = {"accepted": 0, "repeat": 0, "refused": 0}
    r = https.get(f"{base}/mailbox?limit={limit}")
    r.raise_for_status()
    for item in r.json().get("items", []):
        got = https.get(f"{base}/mailbox/{item['message_id']}")
        if got.status_code != 200:
            continue
        msg = wire.decode_message(got.headers.get("content-type", ""), got.content)
        try:
            result = inbox.receive_message(msg.envelope, msg.signature, msg.payload, peer_sha256="", route="mailbox")
            counts["accepted" if result.status == 202 else "repeat"] += 1
        except SbxError as exc:  # refused here too: acknowledge, the refusal is logged and nothing is stored
            log.warning("mailbox message %s refused: %s", item["message_id"], exc)
            counts["refused"] += 1
        https.post(f"{base}/mailbox/{item['message_id']}/ack")
    return counts


def pull_all() -> dict[str, Any]:
    from . import node as node_mod

    out = {}
    for code in node_mod.load().agencies:
        p = Participant.objects.filter(code=code).first()
        if p is not None and p.via and not p.endpoint:
            out[code] = pull(code)
    return out
