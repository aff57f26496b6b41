"""Running Saraban: ``saraban serve`` (gunicorn master, web workers and the task worker forked from one
warmed process), ``saraban worker``, ``saraban tick``, health checks and metrics.  Sits above every other
app; nothing imports it."""
from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "saraban.ops"
    label = "ops"
    verbose_name = "Saraban operations"

    def ready(self) -> None:
        from saraban.kernel import periodic

        from .recovery import requeue_lost

        periodic.register("ops.requeue_lost", requeue_lost)
