"""A task worker killed mid-task loses nothing: once it stops beating, its task is made ready again, once,
and the requeue is one audited action; a slow worker that still beats keeps its task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.db.models import Count
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


IMMEDIATE = django_settings.TASKS
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_the_requeued_task_runs_again_and_is_safe_to_run_twice(clock, registrar_api, settings) -> None:
    """The receipt stamp of a registered letter: its worker died twice mid-task (once after finishing the work,
    before marking the task done); each time it is requeued and run again, and there is one stamped copy."""
    from django_tasks_db.management.commands.db_worker import Worker

    from saraban.letters.models import FileRole, LetterFile
    from tests.fixtures import meta

    r = registrar_api.incoming(meta())
    assert r.status_code == 201, r.content
    letter_id = r.json()["id"]
    original = LetterFile.objects.get(letter_id=letter_id, role=FileRole.LETTER)
    args = {"args": [r.json()["registration"]["id"], str(original.pk)], "kwargs": {}}
    stamped = LetterFile.objects.filter(letter_id=letter_id, role=FileRole.PRESENTATION)
    for n in (1, 2):
        task = running(f"dead:{n}", clock.now() - dt.timedelta(minutes=5))
        DBTaskResult.objects.filter(pk=task.pk).update(args_kwargs=args)
        assert recovery.requeue_lost() == 1
        settings.TASKS = DB_TASKS  # the worker runs what the database queue holds
        Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
               max_tasks=None, worker_id="test:1", excluded_queue_names=[]).run()
        settings.TASKS = IMMEDIATE
        task.refresh_from_db()
        assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
        assert stamped.count() == 1


def test_a_worker_steps_down_after_its_share_of_tasks(clock, settings, monkeypatch) -> None:
    """SARABAN_WORKER_MAX_TASKS: the worker returns (to be replaced by a fresh process) instead of growing."""
    import signal

    from saraban.ops import worker

    monkeypatch.setenv("SARABAN_WORKER_MAX_TASKS", "2")
    for _ in range(3):
        DBTaskResult.objects.create(status=TaskResultStatus.READY, args_kwargs={"args": [], "kwargs": {}},
                                    backend_name="default", task_path="saraban.routing.tasks.send_daily_digests",
                                    run_after=clock.now() - dt.timedelta(seconds=1), queue_name="default")
    settings.TASKS = DB_TASKS
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        worker.run(interval=0, ticks=False)  # returns: it does not wait for more work
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
        settings.TASKS = IMMEDIATE
    counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")))
    assert counts == {TaskResultStatus.SUCCESSFUL: 2, TaskResultStatus.READY: 1}
    assert WorkerBeat.objects.get(worker_id=worker.worker_id()).stopped
