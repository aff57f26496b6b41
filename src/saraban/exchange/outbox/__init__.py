"""The outbox: rows to send, and the wake-ups that get them sent.

Actions write their outbox rows through :func:`schedule` (one call per message, in the action's
transaction); the worker (:mod:`.worker`) claims due rows with a lease and sends them.  Waking the task
queue needs the tasks, which sit above the actions: :mod:`saraban.exchange.tasks` installs them here
when the app loads (:func:`install`), so nothing here imports upwards.  The rows are the durable record
either way: the exchange process's loop finds due rows without any wake-up.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import uuid
from typing import Any

from django.db import transaction
from django.db.models import F, Q

from saraban.kernel import clock, wakeup
from saraban.kernel.ids import uuid7
from saraban.kernel.tasks import enqueue

from ..heartbeat import sender_alive
from ..models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)
_tasks: dict[str, Any] = {}


def install(**tasks: Any) -> None:
    """Name the task-queue tasks that do the work (``deliver``, ``hand_over``); done once when the app loads."""
    _tasks.update(tasks)


def wake(name: str, pk: str, *, at: dt.datetime | None = None) -> None:
    """Ask the task queue to run ``name`` for ``pk``: now (written in the current transaction), or at ``at``
    (a retry; best effort, as the exchange process's loop also finds due rows)."""
    task = _tasks.get(name)
    if task is None:
        log.warning("exchange task %s not installed; %s waits for the exchange process", name, pk)
        return
    if at is None:
        enqueue(task, pk)
        return
    from django.conf import settings

    if settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend"):
        return  # tests drive retries themselves
    from django.utils import timezone

    try:
        task.using(run_after=timezone.now() + (at - clock.now())).enqueue(pk)
    except Exception:  # the loop will still find it
        log.exception("could not schedule the retry of %s", pk)


def schedule(*, kind: str, sender_code: str, recipient_code: str, letter_uuid: uuid.UUID, expires_at: dt.datetime,
             **fields: Any) -> OutboxMessage:
    """A new outbox row, due now, and its wake-up (unless the exchange process's loop is running).

    ``fields``: the rest of :class:`~.models.OutboxMessage` (signal, in_reply_to, dispatch, batch, urgency,
    secrecy, business, created_at).  The worker builds, signs and sends it, with retries until it expires.
    """
    now = fields.pop("created_at", None) or clock.now()
    msg = OutboxMessage.objects.create(
        message_id=uuid7(), kind=kind, sender_code=sender_code, recipient_code=recipient_code,
        letter_uuid=letter_uuid, created_at=now, expires_at=expires_at, next_attempt_at=now, **fields,
    )
    if sender_alive():
        wakeup.poke_on_commit(wakeup.SBX)  # the exchange process's loop sends it
    else:
        wake("deliver", str(msg.pk))
    return msg


# ---- claiming due rows (the worker and the exchange process's loop) ------------------------------------

def lease_seconds() -> float:
    return float(os.environ.get("SARABAN_SBX_LEASE_SECONDS", "120"))


def backoff_schedule() -> list[float]:
    raw = os.environ.get("SARABAN_SBX_BACKOFF", "30,120,600,1800,3600")
    return [float(x) for x in raw.split(",") if x.strip()]


def next_delay(attempt: int) -> float:
    """Exponential steps (30 s, 2 min, 10 min, 30 min, then hourly) with jitter: between half and all of it."""
    steps = backoff_schedule()
    base = steps[min(max(attempt, 1) - 1, len(steps) - 1)]
    return random.uniform(base / 2, base)


def due_ids(limit: int = 32) -> list[uuid.UUID]:
    now = clock.now()
    return list(OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
                .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
                .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])


def next_due_in(now: dt.datetime | None = None) -> float | None:
    """Seconds until a pending message not due now falls due (its next attempt, or the end of its lease);
    None: none waits."""
    now = now or clock.now()
    pending = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
    times = [pending.filter(next_attempt_at__gt=now).order_by("next_attempt_at")
             .values_list("next_attempt_at", flat=True).first(),
             pending.filter(lease_until__gt=now).order_by("lease_until").values_list("lease_until", flat=True).first()]
    found = [t for t in times if t is not None]
    return max(0.0, (min(found) - now).total_seconds()) if found else None


def claim(pk: Any) -> OutboxMessage | None:
    """Take a due message for one attempt (a lease: a conditional update, the same on SQLite and PostgreSQL)."""
    now = clock.now()
    free = (OutboxMessage.objects.filter(pk=pk, status=OutboxStatus.PENDING, next_attempt_at__lte=now)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now)))
    if not free.exists():  # a read first: most wake-ups find the message taken, and need no write lock
        return None
    with transaction.atomic():
        n = free.update(lease_until=now + dt.timedelta(seconds=lease_seconds()), attempts=F("attempts") + 1)
    if n != 1:
        return None
    return OutboxMessage.objects.select_related("dispatch").get(pk=pk)
