"""Work that is never lost (issue #14, finding "lost receipt stamps").

The attack: kill the worker while it draws a receipt stamp — the task stays RUNNING for ever; make a task
fail — it stays FAILED; nothing retried either.  Here the database queue (django-tasks-db) is used as in
production: a killed worker is a row claimed and never finished, a failure is a task that raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from saraban.audit.models import AuditEvent
from saraban.kernel import periodic
from saraban.letters.models import FileRole, LetterFile
from saraban.ops import recovery, taskqueue
from saraban.routing.models import Outbound
from saraban.routing.notify import use
from saraban.routing.notify.base import NotifyFailed
from saraban.storage.blobs import store
from tests.fixtures import user
from tests.routing.helpers import registered

pytestmark = pytest.mark.django_db
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def queue(settings) -> Iterator[None]:
    settings.TASKS = DB_QUEUE
    yield


def _work() -> None:
    """What ``db_worker --batch`` does — take each ready task, claim it, run it, record the result — with the
    worker's own ``run_task``, minus its loop, which closes the database connection between tasks (and with
    it the test's transaction on PostgreSQL)."""
    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test-worker", excluded_queue_names=[])
    while (row := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        row.claim(worker.worker_id)
        worker.run_task(row)


def _stamped(entry) -> bool:
    return LetterFile.objects.filter(letter=entry.letter, role=FileRole.PRESENTATION).exists()


def _age(row: DBTaskResult, seconds: float, field: str) -> None:
    DBTaskResult.objects.filter(pk=row.pk).update(**{field: getattr(row, field) - dt.timedelta(seconds=seconds)})


def test_a_stamp_left_running_by_a_killed_worker_is_finished(org, queue) -> None:
    entry = registered()
    row = DBTaskResult.objects.get(task_path__endswith="stamp_receipt")
    row.claim("worker-killed-by-sigkill")  # taken, then the worker died: no result ever comes
    assert periodic.run_all()["ops.requeue_lost"] == "0"  # not lost yet: it may still be working
    assert taskqueue.health().stuck == []
    _age(DBTaskResult.objects.get(pk=row.pk), recovery.lost_seconds() + 1, "started_at")
    assert [r.pk for r in taskqueue.health().stuck] == [row.pk]  # the health page shows it
    assert periodic.run_all()["ops.requeue_lost"] == "1"
    _work()
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and len(row.worker_ids) == 2 and _stamped(entry)
    assert AuditEvent.objects.filter(action="ops.requeue_lost").count() == 1


def test_a_failed_stamp_is_retried_with_growing_delays(org, queue) -> None:
    entry = registered()
    original = LetterFile.objects.get(letter=entry.letter, role=FileRole.LETTER)
    path = store().path(original.blob.name)
    kept = path.read_bytes()
    path.unlink()  # the blob store is briefly unreachable
    _work()
    row = DBTaskResult.objects.get(task_path__endswith="stamp_receipt")
    assert row.status == "FAILED" and not _stamped(entry)
    assert periodic.run_all()["tasks.recover"] == "nothing to recover"  # the first back-off has not passed
    delays = [taskqueue.backoff(n).total_seconds() for n in range(1, 10)]
    assert delays[:3] == [30, 60, 120] and delays[-1] == taskqueue.MAX_DELAY
    _age(row, delays[0] + 1, "finished_at")
    path.write_bytes(kept)
    assert "'failed': 1" in periodic.run_all()["tasks.recover"]
    _work()
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and _stamped(entry)


def test_after_the_automatic_attempts_a_person_resumes_it(org, queue, admin_client_saraban) -> None:
    entry = registered()
    row = DBTaskResult.objects.get(task_path__endswith="stamp_receipt")
    DBTaskResult.objects.filter(pk=row.pk).update(status="FAILED", worker_ids=["w"] * taskqueue.AUTO_ATTEMPTS,
                                                  finished_at=row.enqueued_at - dt.timedelta(days=1),
                                                  exception_class_path="builtins.OSError")
    assert periodic.run_all()["tasks.recover"] == "nothing to recover"  # gave up: waits for a person
    page = admin_client_saraban.get("/ops/health/")
    assert page.status_code == 200 and str(row.pk) in page.content.decode() and "OSError" in page.content.decode()
    assert Client().get("/ops/health/").status_code == 302  # sign in first
    c = Client()
    c.force_login(user("registrar"))
    assert c.get("/ops/health/").status_code == 404  # administrators only
    call_command("tasks", "retry", verbosity=0)
    _work()
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and _stamped(entry)
    assert AuditEvent.objects.filter(action="tasks.retry").count() == 1


def test_failed_notices_are_resent_with_back_off(org, queue, django_capture_on_commit_callbacks) -> None:
    class Flaky:
        channel = "email"

        def __init__(self) -> None:
            self.calls = 0

        def send(self, address: str, subject: str, body: str, *, key: str) -> str:
            self.calls += 1
            if self.calls == 1:
                raise NotifyFailed("smtp: connection refused")
            return f"<{key}@test>"

    flaky = Flaky()
    use("email", flaky)
    try:
        from saraban.routing import actions as routing
        from saraban.routing.resolve import Target

        officer = user("officer")
        officer.person.email = "kittisak@ops.example.go.th"
        officer.person.save()
        routing.set_preferences(officer, email=True, line=False)
        routing.distribute(user("registrar"), registered().letter, [Target(person="officer")])
        _work()
        ob = Outbound.objects.get()
        assert ob.status == "pending" and ob.attempts == 1 and ob.next_try_at is not None
        Outbound.objects.filter(pk=ob.pk).update(next_try_at=ob.next_try_at - dt.timedelta(minutes=5))
        assert "'notices': 1" in periodic.run_all()["tasks.recover"]
        _work()
        ob.refresh_from_db()
        assert ob.status == "sent" and flaky.calls == 2
    finally:
        use("email", None)


@pytest.fixture
def admin_client_saraban(org) -> Client:
    c = Client()
    c.force_login(user("admin"))
    return c
