"""Sending the queued e-mails: send a claimed one's stored bytes, record the server's answer.

Woken by a task when an e-mail is queued, and swept by ``saraban tick`` (and ``saraban mail send``) for
retries and for anything a crashed worker left: the rows are the durable record.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from saraban.kernel import clock
from saraban.storage import blobs

from . import actions, conf, credentials, transport
from .actions.outbound import central_address
from .models import MailAccount, OutgoingMail
from .outbox import backoff, claim, due_ids

log = logging.getLogger(__name__)


def server_for(agency: Any) -> transport.Server:
    """The agency's outgoing server from its mailbox settings (password decrypted only here)."""
    acc = MailAccount.objects.filter(agency=agency).first()
    if acc is None or not acc.smtp_host:
        raise transport.SendFailed(None, "no outgoing mail server is configured for this agency", retry=True)
    return transport.Server(acc.smtp_host, acc.smtp_port, acc.smtp_security, acc.smtp_user,
                            credentials.unseal(acc.smtp_secret, f"{acc.pk}:smtp"), ca_file=conf.ca_file())


def deliver(pk: Any) -> str:
    """One attempt at one e-mail, if it is due and free; returns what happened."""
    out = claim(pk)
    if out is None:
        return "not-due"
    if clock.now() >= out.expires_at:
        actions.record_failed(out, out.smtp_code, out.smtp_reply or "not sent before the time ran out")
        return "failed"
    try:
        answer = transport.sender().send(server_for(out.agency), central_address(out.agency), out.to_addr,
                                         blobs.read(out.raw))
    except transport.SendFailed as exc:
        return _failed(out, exc.code, exc.reply, retry=exc.retry)
    except Exception as exc:  # a bug or an outage on our side: keep it, try again later
        log.exception("sending mail %s failed", out.message_id)
        return _failed(out, None, f"{type(exc).__name__}: {exc}", retry=True)
    actions.record_sent(out, answer.code, answer.reply)
    return "sent"


def _failed(out: OutgoingMail, code: int | None, reply: str, *, retry: bool) -> str:
    log.info("mail %s to %s: attempt %s failed: %s %s", out.message_id, out.to_addr, out.attempts, code, reply)
    if not retry:
        actions.record_failed(out, code, reply)
        return "failed"
    next_at = min(clock.now() + dt.timedelta(seconds=backoff(out.attempts)), out.expires_at)
    actions.record_attempt_failed(out, code, reply, next_at)
    return "retry"


def deliver_due(limit: int = 32) -> dict[str, int]:
    counts: dict[str, int] = {}
    for pk in due_ids(limit):
        result = deliver(pk)
        counts[result] = counts.get(result, 0) + 1
    return counts
