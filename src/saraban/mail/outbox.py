"""The e-mails waiting to be sent: their wake-ups, which are due, and claiming one (a lease).

Actions queue rows and wake the task (:func:`wake`); the sender (:mod:`.sender`) claims and sends them.
A worker killed mid-send leaves a lease that runs out; the next attempt sends the same bytes with the same
Message-ID.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from typing import Any

from django.db import transaction
from django.db.models import F, Q

from saraban.kernel import clock
from saraban.kernel.tasks import enqueue

from .models import OutgoingMail, OutStatus

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
