"""What the operations app keeps: one heartbeat row per running task worker."""

from __future__ import annotations

from django.db import models


class WorkerBeat(models.Model):
    """A task worker says it is alive every few seconds; a task whose worker stopped beating is run again."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.IntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)
    stopped = models.BooleanField(default=False)

    class Meta:
        verbose_name = "task worker heartbeat"
