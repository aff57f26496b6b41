"""Sending notices' e-mail and LINE copies from the worker: one outbox row at a time, retried."""

from __future__ import annotations

from django_tasks import task

from saraban.kernel import clock

from ..models import Outbound
from . import notifier_for
from .base import NotifyFailed

MAX_ATTEMPTS = 5


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
    Outbound.objects.filter(pk=ob.pk).update(status=ob.status, attempts=ob.attempts, last_error=ob.last_error,
                                             provider_id=ob.provider_id, sent_at=ob.sent_at)
    return ob


@task()
def deliver(outbound_id: str) -> str:
    ob = Outbound.objects.select_related("person").filter(pk=outbound_id).first()
    if ob is None:
        return ""
    return send_one(ob).status
