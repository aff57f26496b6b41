"""Scheduled backups: the periodic job ``storage.backup`` (run by ``saraban tick``)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings

from saraban.kernel import clock

from ..errors import BackupRunning
from ..models import Backup, BackupStatus
from .run import backup

log = logging.getLogger(__name__)


RETRY_AFTER = dt.timedelta(hours=1)


def due(now: dt.datetime | None = None) -> bool:
    """A backup target is configured, the last good backup is older than ``SARABAN_BACKUP_EVERY_HOURS``, and no
    run failed in the last hour (a failing target is tried again hourly, not at every tick)."""
    if not settings.SARABAN_BACKUP_TO:
        return False
    now = now or clock.now()
    last = Backup.objects.filter(status=BackupStatus.DONE).order_by("-started_at").first()
    failed = Backup.objects.filter(status=BackupStatus.FAILED, started_at__gt=now - RETRY_AFTER)
    if last is not None and failed.filter(started_at__gt=last.started_at).exists():
        return False
    if last is None and failed.exists():
        return False
    every = dt.timedelta(hours=settings.SARABAN_BACKUP_EVERY_HOURS)
    return last is None or now - last.started_at >= every


def scheduled_backup() -> str:
    """The periodic job (``saraban tick``): back up when due; progress goes to the log."""
    if not due():
        return "not due"
    def progress(stage: str, done: int, total: int, size: int) -> None:
        log.info("backup %s: %d/%d (%.1f MB copied)", stage, done, total, size / 1e6)

    try:
        run = backup(settings.SARABAN_BACKUP_TO, scheduled=True, progress=progress)
    except BackupRunning:
        return "another backup is running"
    return (f"snapshot {run.snapshot}: {run.blobs} blobs, {run.blobs_copied} copied "
            f"({run.bytes_copied / 1e6:.1f} MB){'; ' + run.error if run.error else ''}")
