"""Sending notices' e-mail and LINE copies from the worker: one outbox row at a time, retried.

A provider's failure leaves the row pending with the time of its next try (back-off doubling from 30 s);
the periodic recovery (:mod:`saraban.ops.taskqueue`) sends due rows again, up to :data:`MAX_ATTEMPTS`.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django_tasks import task

from saraban.kernel import clock
from saraban.kernel.tasks import enqueue

from ..models import Outbound
from . import notifier_for
from .base import NotifyFailed

MAX_ATTEMPTS = 5
RETRY_BASE = 30.0


def next_try(attempts: int, now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(seconds=min(3600.0, RETRY_BASE * 2 ** max(0, attempts - 1)))


def send_one(ob: Outbound) -> Outbound:
    """Send one outbox row (worker side); a sent row is never sent again."""
    if ob.status == Outbound.Status.SENT:
        return ob
    ob.attempts += 1
    try:
        ob.provider_id = notifier_for(ob.channel).send(ob.address, ob.subject, ob.body, key=str(ob.pk))[:255]
        ob.status, ob.sent_at, ob.last_error = Outbound.Status.SENT, clock.now(), ""
    except NotifyFailed as exc:
        ob.last_error = str(exc)[:1000]
        give_up = not exc.retry or ob.attempts >= MAX_ATTEMPTS
        ob.status = Outbound.Status.FAILED if give_up else Outbound.Status.PENDING
        ob.next_try_at = None if give_up else next_try(ob.attempts, clock.now())
    Outbound.objects.filter(pk=ob.pk).update(status=ob.status, attempts=ob.attempts, last_error=ob.last_error,
                                             provider_id=ob.provider_id, sent_at=ob.sent_at,
                                             next_try_at=ob.next_try_at if ob.status == "pending" else None)
    return ob


def due_outbound(now: dt.datetime) -> QuerySet[Outbound]:
    return Outbound.objects.filter(status=Outbound.Status.PENDING, next_try_at__lte=now)


def resend_due(now: dt.datetime) -> list[str]:
    """Queue the pending rows whose next try has come (inside the recovering action)."""
    ids = [str(pk) for pk in due_outbound(now).values_list("pk", flat=True)[:500]]
    Outbound.objects.filter(pk__in=ids).update(next_try_at=None)
    for pk in ids:
        enqueue(deliver, pk)
    return ids


def resend_failed(now: dt.datetime) -> list[str]:
    """A person asked: rows that gave up are tried again from the start."""
    ids = [str(pk) for pk in Outbound.objects.filter(status=Outbound.Status.FAILED).values_list("pk", flat=True)[:500]]
    Outbound.objects.filter(pk__in=ids).update(status=Outbound.Status.PENDING, attempts=0, next_try_at=None)
    for pk in ids:
        enqueue(deliver, pk)
    return ids


@task()
def deliver(outbound_id: str) -> str:
    ob = Outbound.objects.select_related("person").filter(pk=outbound_id).first()
    if ob is None:
        return ""
    return send_one(ob).status
