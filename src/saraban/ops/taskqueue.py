"""Work that is never lost: stuck and failed background tasks are retried with back-off.

The worker (``django-tasks-db``) marks a task RUNNING when it takes it.  A worker killed mid-task leaves
that row RUNNING for ever, and a task that raised stays FAILED: nothing in the queue runs either again.
A stuck task — running, but its worker has stopped beating — is put back by :mod:`.recovery`
(``ops.requeue_lost``; a long task on a live worker is never taken for stuck).  A failed one is put back by
:func:`recover` (a periodic job, ``saraban tick``) after a delay that doubles with each attempt (30 s, 1 min,
2 min … at most an hour), for at most ``AUTO_ATTEMPTS`` attempts.  Past that a task waits for a person: the
health page (``/ops/health/``) shows it and ``saraban tasks retry`` (or the page's button) resumes it.

Only tasks that are safe to run twice are retried (:data:`RETRYABLE`); each of them checks what is already
done before doing it (a stamp already made, a message already sent).  Notices whose provider failed stay
in routing's outbox and are resent by :func:`saraban.routing.notify.delivery.resend_due`, also from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django_tasks_db.models import DBTaskResult

from saraban.audit import log as audit
from saraban.kernel import clock, wakeup
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.routing.notify import delivery

from .recovery import lost_task_ids

RETRYABLE = frozenset({
    "saraban.registry.tasks.stamp_receipt",
    "saraban.registry.tasks.stamp_copy_receipt",
    "saraban.routing.tasks.render_annex",
    "saraban.routing.notify.delivery.deliver",
    "saraban.exchange.tasks.deliver",
    "saraban.exchange.tasks.hand_over",
})
"""Tasks that check what is already done before doing it, so running one again is harmless."""

READY, RUNNING, FAILED = "READY", "RUNNING", "FAILED"
AUTO_ATTEMPTS = 6
BASE_DELAY = 30.0
MAX_DELAY = 3600.0


def backoff(attempts: int) -> dt.timedelta:
    """The wait before the next attempt, after ``attempts`` attempts: 30 s doubling, at most an hour."""
    return dt.timedelta(seconds=min(MAX_DELAY, BASE_DELAY * 2 ** max(0, min(attempts, 20) - 1)))


def attempts_of(row: DBTaskResult) -> int:
    """How many times a worker took the task (the worker records its id on every claim)."""
    return len(row.worker_ids or [])


def _stuck_q(now: dt.datetime) -> Q:
    """Running tasks whose worker is lost (:func:`saraban.ops.recovery.lost_task_ids`)."""
    return Q(status=RUNNING, pk__in=lost_task_ids(now))


@dataclass(frozen=True)
class Health:
    """What the health page shows about the queue."""

    counts: dict[str, int]
    stuck: list[DBTaskResult]
    waiting: list[DBTaskResult]  # failed, will be retried automatically
    gave_up: list[DBTaskResult]  # failed AUTO_ATTEMPTS times (or not retryable): waits for a person
    outbound_failed: int
    outbound_pending: int


def health(limit: int = 50) -> Health:
    from saraban.routing.models import Outbound

    now = clock.now()
    counts = {s: DBTaskResult.objects.filter(status=s).count() for s in (READY, RUNNING, FAILED)}
    stuck = list(DBTaskResult.objects.filter(_stuck_q(now)).order_by("started_at")[:limit])
    failed = list(DBTaskResult.objects.filter(status=FAILED).order_by("-finished_at")[: limit * 4])
    waiting = [r for r in failed if r.task_path in RETRYABLE and attempts_of(r) < AUTO_ATTEMPTS][:limit]
    gave_up = [r for r in failed if r.task_path not in RETRYABLE or attempts_of(r) >= AUTO_ATTEMPTS][:limit]
    return Health(counts=counts, stuck=stuck, waiting=waiting, gave_up=gave_up,
                  outbound_failed=Outbound.objects.filter(status=Outbound.Status.FAILED).count(),
                  outbound_pending=Outbound.objects.filter(status=Outbound.Status.PENDING, attempts__gt=0).count())


def _requeue(rows: Iterable[DBTaskResult], now: dt.datetime, *, delay: bool) -> list[str]:
    ids = []
    for row in rows:
        run_after = now + backoff(attempts_of(row)) if delay else now
        moved = DBTaskResult.objects.filter(pk=row.pk, status=row.status).update(
            status=READY, run_after=run_after, finished_at=None, exception_class_path="", traceback="")
        if moved:
            ids.append(str(row.pk))
    if ids:
        wakeup.poke_on_commit(wakeup.TASKS)
    return ids


def _due_failed(now: dt.datetime) -> list[DBTaskResult]:
    rows = DBTaskResult.objects.filter(status=FAILED, task_path__in=RETRYABLE).order_by("finished_at")[:500]
    return [r for r in rows if attempts_of(r) < AUTO_ATTEMPTS and r.finished_at is not None
            and r.finished_at + backoff(attempts_of(r)) <= now]


@action("tasks.recover")
def recover() -> dict[str, Any]:
    """Put due failed tasks back in the queue and resend due notices (the periodic job; stuck tasks are
    :mod:`.recovery`'s)."""
    now = clock.now()
    retried = _requeue(_due_failed(now), now, delay=False)
    resent = delivery.resend_due(now)
    audit.record("tasks.recover", actor=None, object_type="tasks", data={"failed": retried, "notices": resent})
    return {"failed": len(retried), "notices": len(resent)}


def recover_if_needed() -> str:
    """The periodic job: records an event only when there was something to recover."""
    now = clock.now()
    if not (_due_failed(now) or delivery.due_outbound(now).exists()):
        return "nothing to recover"
    return str(recover())


@action("tasks.retry")
def retry(actor: Actor, ids: Iterable[str] | None = None) -> dict[str, Any]:
    """A person resumes tasks that gave up (or the ones named): they run again at once, whatever their count;
    failed notices are sent again too."""
    now = clock.now()
    qs = DBTaskResult.objects.filter(Q(status=FAILED) | _stuck_q(now))
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    rows = list(qs.order_by("finished_at")[:1000])
    done = _requeue(rows, now, delay=False)
    resent = delivery.resend_failed(now) if ids is None else []
    audit.record("tasks.retry", actor=actor, object_type="tasks", data={"tasks": done, "notices": resent})
    return {"tasks": len(done), "notices": len(resent)}
