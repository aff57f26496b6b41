"""Polling the agency's existing mailbox over IMAP, exactly once per message.

For each message not yet marked ``$SarabanTaken``: fetch it (without marking it read), keep it
(``mail.receive`` commits the original, keyed by the mailbox's UIDVALIDITY and the UID), and only then
mark it taken on the server.  If Saraban dies in between, the next poll finds the message unmarked,
sees that it is already kept, and only marks it.  Messages that arrived while Saraban was stopped are
simply unmarked.  Two pollers never read one mailbox at once (a lease on the account row).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from saraban.kernel import clock

from . import conf, credentials, pipeline, transport
from .models import MailAccount, MailMessage

log = logging.getLogger(__name__)
def lease() -> dt.timedelta:
    """How long a poller holds the mailbox; renewed with every message, so a dead poller's hold ends soon."""
    return dt.timedelta(seconds=float(conf.get("SARABAN_MAIL_POLL_LEASE_SECONDS", "60")))


@dataclass
class PollResult:
    taken: int = 0
    stored: int = 0
    too_large: list[int] = field(default_factory=list)
    error: str = ""
    busy: bool = False


def server_for(acc: MailAccount) -> transport.Server:
    return transport.Server(acc.imap_host, acc.imap_port, acc.imap_security, acc.imap_user,
                            credentials.unseal(acc.imap_secret, f"{acc.pk}:imap"), ca_file=conf.ca_file())


def _lease(acc: MailAccount) -> bool:
    now = clock.now()
    with transaction.atomic():
        return MailAccount.objects.filter(Q(poll_lease__isnull=True) | Q(poll_lease__lt=now), pk=acc.pk).update(
            poll_lease=now + lease()) == 1


def _take(box: transport.Mailbox, acc: MailAccount, uid: int, size: int, result: PollResult,
          after_store: Callable[[int], None] | None) -> None:
    key = {"account": acc, "imap_uidvalidity": box.uidvalidity, "imap_uid": uid}
    if not MailMessage.objects.filter(**key).exists():
        if size > conf.hard_max_bytes():
            box.mark_too_large(uid)
            result.too_large.append(uid)
            return
        raw = box.fetch(uid)
        try:
            from . import actions

            actions.receive(raw, [acc.agency], source="imap", account=acc, envelope_to=acc.address,
                            imap=(box.uidvalidity, uid))
            result.stored += 1
        except IntegrityError:  # another poller kept it a moment ago
            pass
        if after_store is not None:
            after_store(uid)
    box.mark_taken(uid)
    result.taken += 1


def poll(acc: MailAccount, *, after_store: Callable[[int], None] | None = None, limit: int = 500) -> PollResult:
    """Read the mailbox once; ``after_store`` (tests) runs between keeping a message and marking it taken."""
    acc = MailAccount.objects.select_related("agency").get(pk=acc.pk)
    result = PollResult()
    if not _lease(acc):
        result.busy = True
        return result
    started = clock.now()
    try:
        with transport.reader().open(server_for(acc), acc.imap_folder) as box:
            for uid, size in box.pending()[:limit]:
                _take(box, acc, uid, size, result, after_store)
                MailAccount.objects.filter(pk=acc.pk).update(poll_lease=clock.now() + lease())
    except Exception as exc:  # the server, the network or the password: shown on the health view
        result.error = f"{type(exc).__name__}: {exc}"[:1000]
        log.warning("polling %s failed: %s", acc.address, result.error)
    finally:
        _note(acc, started, result)
    pipeline.process_pending(account=acc)
    return result


def _note(acc: MailAccount, started: Any, result: PollResult) -> None:
    """Health bookkeeping for the mailbox (not a domain event: no audit entry per poll)."""
    fields: dict[str, Any] = {"last_poll_at": started, "poll_lease": None}
    if result.error:
        fields.update(last_error=result.error, last_error_at=clock.now())
    else:
        fields.update(last_poll_ok_at=clock.now(), last_poll_taken=result.taken)
        if result.too_large:
            fields.update(last_error=f"{len(result.too_large)} message(s) above the hard limit left on the server "
                                     f"(UIDs {', '.join(map(str, result.too_large[:20]))})", last_error_at=clock.now())
    MailAccount.objects.filter(pk=acc.pk).update(**fields)


def poll_due() -> dict[str, str]:
    out = {}
    for acc in pipeline.accounts_due():
        r = poll(acc)
        out[acc.address] = "busy" if r.busy else (r.error or f"taken {r.taken}")
    return out
