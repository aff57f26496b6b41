"""A task worker killed mid-task loses nothing: once it stops beating, its task is made ready again, once,
and the requeue is one audited action; a slow worker that still beats keeps its task."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from saraban.audit.models import AuditEvent
from saraban.ops import recovery
from saraban.ops.models import WorkerBeat
from saraban.ops.worker import beat

pytestmark = pytest.mark.django_db


def running(worker: str, started: dt.datetime) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, args_kwargs={"args": ["x"], "kwargs": {}}, backend_name="default",
        task_path="saraban.registry.tasks.stamp_receipt", run_after=started, started_at=started,
        worker_ids=[worker], queue_name="default")


def test_lost_worker_tasks_are_requeued_once(clock) -> None:
    now = clock.now()
    beat("host:1")  # the lost one: beat long ago
    beat("host:2")  # alive
    WorkerBeat.objects.filter(worker_id="host:1").update(seen_at=now - dt.timedelta(minutes=5))
    lost = running("host:1", now - dt.timedelta(minutes=5))
    slow = running("host:2", now - dt.timedelta(minutes=10))  # a long task of a live worker
    orphan = running("gone:9", now - dt.timedelta(minutes=5))  # a worker from before heartbeats
    fresh_orphan = running("gone:8", now)  # just claimed: not yet
    assert recovery.requeue_lost() == 2
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[lost.pk] == statuses[orphan.pk] == TaskResultStatus.READY
    assert statuses[slow.pk] == statuses[fresh_orphan.pk] == TaskResultStatus.RUNNING
    event = AuditEvent.objects.get(action="ops.requeue_lost")
    assert event.data["requeued"] == 2 and {t["worker"] for t in event.data["tasks"]} == {"host:1", "gone:9"}
    assert recovery.requeue_lost() == 0  # nothing twice, and no event for nothing
    assert AuditEvent.objects.filter(action="ops.requeue_lost").count() == 1


def test_a_worker_that_said_it_stopped_mid_task_is_lost_at_once(clock) -> None:
    beat("host:3", stopped=True)
    task = running("host:3", clock.now())
    assert recovery.requeue_lost() == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
