"""A real task worker (django-tasks' database worker) over the queue: a requeued task runs again safely, and a
worker steps down after its share of tasks.  The worker closes the database connection between tasks, so
these tests commit (``committed_db``: no module-wide ``django_db`` mark, which would open the database
before the audit triggers can be lifted for the flush)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.db.models import Count
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from saraban.ops import recovery
from saraban.ops.models import WorkerBeat

from .test_recovery import running

pytestmark = pytest.mark.usefixtures("committed_db")

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
        worker.run(interval=0, ticks=False, follow=False)  # returns: it does not wait for more work
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
        settings.TASKS = IMMEDIATE
    counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")))
    assert counts == {TaskResultStatus.SUCCESSFUL: 2, TaskResultStatus.READY: 1}
    assert WorkerBeat.objects.get(worker_id=worker.worker_id()).stopped
