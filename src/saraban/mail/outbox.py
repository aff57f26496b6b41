"""Sending the queued e-mails: claim a due one (a lease), send its stored bytes, record the server's answer.

Woken by a task when an e-mail is queued, and swept by ``saraban tick`` (and ``saraban mail send``) for
retries and for anything a crashed worker left: the rows are the durable record.  A worker killed
mid-send leaves a lease that runs out; the next attempt sends the same bytes with the same Message-ID.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
from typing import Any

from django.db import transaction
from django.db.models import F, Q

from saraban.kernel import clock
from saraban.kernel.tasks import enqueue
from saraban.storage import blobs

from . import conf, credentials, transport
from .models import MailAccount, OutgoingMail, OutStatus

log = logging.getLogger(__name__)
LEASE = dt.timedelta(seconds=120)
_task: Any = None


def install(task: Any) -> None:
    global _task
    _task = task


def wake(pk: Any) -> None:
    if _task is not None:
        enqueue(_task, str(pk))


def backoff(attempt: int) -> float:
    steps = [float(x) for x in os.environ.get("SARABAN_MAIL_BACKOFF", "60,300,900,3600").split(",") if x.strip()]
    base = steps[min(max(attempt, 1) - 1, len(steps) - 1)]
    return random.uniform(base / 2, base)


def due_ids(limit: int = 32) -> list[Any]:
    now = clock.now()
    return list(OutgoingMail.objects.filter(status=OutStatus.PENDING, next_attempt_at__lte=now)
                .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
                .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])


def claim(pk: Any) -> OutgoingMail | None:
    now = clock.now()
    free = (OutgoingMail.objects.filter(pk=pk, status=OutStatus.PENDING, next_attempt_at__lte=now)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now)))
    if not free.exists():
        return None
    with transaction.atomic():
        if free.update(lease_until=now + LEASE, attempts=F("attempts") + 1) != 1:
            return None
    return OutgoingMail.objects.select_related("agency", "raw").get(pk=pk)


def server_for(agency: Any) -> transport.Server:
    """The agency's outgoing server from its mailbox settings (password decrypted only here)."""
    acc = MailAccount.objects.filter(agency=agency).first()
    if acc is None or not acc.smtp_host:
        raise transport.SendFailed(None, "no outgoing mail server is configured for this agency", retry=True)
    return transport.Server(acc.smtp_host, acc.smtp_port, acc.smtp_security, acc.smtp_user,
                            credentials.unseal(acc.smtp_secret, f"{acc.pk}:smtp"), ca_file=conf.ca_file())


def deliver(pk: Any) -> str:
    """One attempt at one e-mail, if it is due and free; returns what happened."""
    from . import actions

    out = claim(pk)
    if out is None:
        return "not-due"
    if clock.now() >= out.expires_at:
        actions.record_failed(out, out.smtp_code, out.smtp_reply or "not sent before the time ran out")
        return "failed"
    try:
        from .actions.outbound import central_address

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
    from . import actions

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
