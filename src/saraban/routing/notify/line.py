"""LINE Messaging API adapter: a push message to one user of the agency's Official Account.

(LINE Notify was shut down in 2025; this uses ``POST /v2/bot/message/push`` with the channel access token
and an ``X-Line-Retry-Key`` so a retried request is not delivered twice.)  The same Official Account's
webhook (``/hooks/line``, signed with the channel secret) links a person's LINE account: they send it a
one-time code (:func:`saraban.routing.actions.notices.link_line`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid

import httpx

from .base import NotifyFailed

MAX_TEXT = 5000


class LineNotifier:
    channel = "line"

    def __init__(self, *, base_url: str, token: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def send(self, address: str, subject: str, body: str, *, key: str) -> str:
        if not self.token:
            raise NotifyFailed("LINE channel access token is not configured", retry=False)
        text = f"{subject}\n{body}".strip()[:MAX_TEXT]
        try:
            retry_key = str(uuid.UUID(key))
        except ValueError:
            retry_key = str(uuid.uuid5(uuid.NAMESPACE_URL, key))
        try:
            r = httpx.post(f"{self.base_url}/v2/bot/message/push", timeout=self.timeout,
                           headers={"Authorization": f"Bearer {self.token}", "X-Line-Retry-Key": retry_key},
                           json={"to": address, "messages": [{"type": "text", "text": text}]})
        except httpx.HTTPError as exc:
            raise NotifyFailed(f"line: {exc}") from exc
        if r.status_code == 409:  # the retry key was already accepted: delivered before
            return r.headers.get("x-line-accepted-request-id", "") or retry_key
        if r.status_code >= 400:
            raise NotifyFailed(f"line: HTTP {r.status_code} {r.text[:300]}", retry=r.status_code >= 500)
        return r.headers.get("x-line-request-id", "") or retry_key


def signature_ok(body: bytes, signature: str, secret: str) -> bool:
    """Is ``signature`` (the ``X-Line-Signature`` header) LINE's HMAC-SHA256 of ``body`` under the channel secret?"""
    if not secret or not signature:
        return False
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    return hmac.compare_digest(expected, signature.strip())


def texts_from_users(body: bytes) -> list[tuple[str, str]]:
    """(text, LINE user id) of each text message a user sent the Official Account, from a webhook body."""
    try:
        events = json.loads(body).get("events") or []
    except (ValueError, AttributeError):
        return []
    out = []
    for ev in events if isinstance(events, list) else []:
        if not isinstance(ev, dict) or ev.get("type") != "message":
            continue
        msg, src = ev.get("message") or {}, ev.get("source") or {}
        if msg.get("type") == "text" and src.get("type") == "user" and src.get("userId"):
            out.append((str(msg.get("text", ""))[:64], str(src["userId"])))
    return out
