"""Running Saraban: ``saraban serve`` (gunicorn master, web workers and the task worker forked from one
warmed process), ``saraban worker``, ``saraban tick``, health checks and metrics.  Sits above every other
app; nothing imports it."""
from typing import Any

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "saraban.ops"
    label = "ops"
    verbose_name = "Saraban operations"

    def ready(self) -> None:
        from django_tasks_db.compat import task_enqueued

        from saraban.kernel import periodic

        from .checkpoints import periodic_job as seal_audit_checkpoint
        from .recovery import requeue_lost
        from .taskqueue import recover_if_needed

        task_enqueued.connect(_wake_workers, dispatch_uid="saraban.ops.wake_workers")
        periodic.register("ops.requeue_lost", requeue_lost)  # the running tasks of a worker that died
        periodic.register("tasks.recover", recover_if_needed)  # failed background work, retried with back-off
        periodic.register("audit.checkpoint", seal_audit_checkpoint)  # the chain's head, sealed outside the DB

    def web_links(self) -> list[dict[str, Any]]:
        """The top bar's links to this app's own pages, as :func:`saraban.web.panels.nav_link` takes them: the
        web reads them from here (ops sits above the web and imports none of it)."""
        from .views import is_admin, problems

        return [
            {"key": "manage", "th": "ดูแลระบบ", "en": "Administration", "url": "/manage/", "order": 3,
             "visible": is_admin, "count": lambda request: problems()},
            {"key": "ops-health", "th": "สถานะงานเบื้องหลัง", "en": "Background work", "url": "/ops/health/",
             "order": 90, "visible": is_admin},
        ]


def _wake_workers(sender: object, **kwargs: object) -> None:
    """A task was enqueued: wake the task workers once it is committed (they wait instead of polling)."""
    from django.conf import settings

    from saraban.kernel import wakeup

    if not str(settings.TASKS["default"]["BACKEND"]).endswith("ImmediateBackend"):
        wakeup.poke_on_commit(wakeup.TASKS)
