"""Putting back the tasks of a task worker that died mid-task (the periodic job ``ops.requeue_lost``).

A worker beats every few seconds (:mod:`saraban.ops.worker`).  A task still marked running whose worker has
not beaten for ``SARABAN_WORKER_LOST_SECONDS`` (default 60), or said it stopped, is made ready again, so
killing a worker loses no work; every task is safe to run twice.  Several tickers may run this at once: each
lost task is locked (``SKIP LOCKED``) and requeued by exactly one of them.
"""

from __future__ import annotations

import datetime as dt
import os

from django.db.models import Q
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from saraban.audit import log as audit
from saraban.kernel import clock, wakeup
from saraban.kernel.actions import action

from .models import WorkerBeat


def lost_seconds() -> float:
    return float(os.environ.get("SARABAN_WORKER_LOST_SECONDS", "60"))


def _lost_workers(now: dt.datetime, grace: dt.timedelta) -> set[str]:
    return set(WorkerBeat.objects.filter(Q(seen_at__lt=now - grace) | Q(stopped=True))
               .values_list("worker_id", flat=True))


@action("ops.requeue_lost")
def _requeue(ids: list[str]) -> int:
    rows = list(DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk__in=ids, status=TaskResultStatus.RUNNING))
    if not rows:
        audit.record("ops.requeue_lost", object_type="tasks", data={"requeued": 0})
        return 0
    DBTaskResult.objects.filter(pk__in=[r.pk for r in rows]).update(status=TaskResultStatus.READY)
    wakeup.poke_on_commit(wakeup.TASKS)
    audit.record("ops.requeue_lost", object_type="tasks", data={
        "requeued": len(rows), "tasks": [{"id": str(r.pk), "task": r.task_path.rsplit(".", 1)[-1],
                                          "worker": (r.worker_ids or ["?"])[-1]} for r in rows]})
    return len(rows)


def lost_task_ids(now: dt.datetime) -> list[str]:
    """The tasks marked running whose worker is lost: silent for ``lost_seconds()``, stopped, or never seen
    (then the task must have started longer ago than that)."""
    grace = dt.timedelta(seconds=lost_seconds())
    lost = _lost_workers(now, grace)
    known = set(WorkerBeat.objects.values_list("worker_id", flat=True))
    ids = []
    for pk, workers, started in (DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
                                 .values_list("pk", "worker_ids", "started_at")):
        last = (workers or [""])[-1]
        if last in lost or (last not in known and started is not None and started < now - grace):
            ids.append(str(pk))
    return ids


def requeue_lost() -> int:
    """Make the tasks of lost workers ready again; returns how many.  Writes no event when there are none."""
    now = clock.now()
    ids = lost_task_ids(now)
    WorkerBeat.objects.filter(seen_at__lt=now - dt.timedelta(days=1)).delete()  # workers long gone
    return _requeue(ids) if ids else 0
