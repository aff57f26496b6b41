"""From a stored original to the queue: examine each received message once, under a lease.

The original is committed first (``mail.receive``); examining it comes after, so a mail that crashes the
parser is still kept, and is looked at again later (``process_pending``, run by ``saraban tick``, by the
receiver at start and after each poll).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction

from saraban.kernel import clock
from saraban.orgs.models import Agency

from . import actions, examine
from .actions.inbound import stale_q
from .models import MailAccount, MailMessage, MailStatus

log = logging.getLogger(__name__)
LEASE = dt.timedelta(minutes=5)


def _claim(pk: Any) -> bool:
    with transaction.atomic():
        return MailMessage.objects.filter(stale_q(), pk=pk).update(process_lease=clock.now() + LEASE) == 1


def process_one(pk: Any, *, claimed: bool = False) -> str:
    """Examine one received message and record the verdict; returns its status (or ``busy``).
    ``claimed``: the caller holds it already (kept with ``examine_until``)."""
    if not claimed and not _claim(pk):
        return "busy"
    msg = MailMessage.objects.select_related("agency", "account", "raw").get(pk=pk)
    try:
        verdict = examine.examine(msg)
        return actions.process(msg, verdict).status
    except Exception as exc:  # a bug, not the mail's fault: it stays received and is tried again later
        log.exception("examining mail %s failed", pk)
        actions.note_failure(msg, f"{type(exc).__name__}: {exc}", clock.now() + LEASE)
        return "error"


def process_pending(limit: int = 200, **filters: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    ids = list(MailMessage.objects.filter(stale_q(), **filters).order_by("received_at")
               .values_list("pk", flat=True)[:limit])
    for pk in ids:
        result = process_one(pk)
        counts[result] = counts.get(result, 0) + 1
    return counts


def accept(raw: bytes, agencies: list[Agency], **kw: Any) -> list[MailMessage]:
    """Keep a message (committed before this returns) and examine it; the original is safe either way."""
    rows = actions.receive(raw, agencies, examine_until=clock.now() + LEASE, **kw)
    for row in rows:
        process_one(row.pk, claimed=True)
    return rows


def queue_size(agency: Agency | None = None) -> dict[str, int]:
    qs = MailMessage.objects.all() if agency is None else MailMessage.objects.filter(agency=agency)
    return {s: qs.filter(status=s).count() for s in (MailStatus.RECEIVED, MailStatus.QUARANTINED)}


def accounts_due() -> list[MailAccount]:
    from . import conf

    now = clock.now()
    every = dt.timedelta(seconds=conf.poll_seconds())
    return [a for a in MailAccount.objects.filter(enabled=True, inbound="imap").select_related("agency")
            if a.last_poll_at is None or now - a.last_poll_at >= every]
