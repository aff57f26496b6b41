"""Backup runs (one at a time) and restores."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action

from ..errors import BackupRunning
from ..models import Backup, BackupStatus

STALE_AFTER = dt.timedelta(hours=12)  # a run with no end by then died with its machine


@action("storage.backup_start")
def start_backup(actor: Any, target: str, *, scheduled: bool = False) -> Backup:
    stale = clock.now() - STALE_AFTER
    Backup.objects.filter(status=BackupStatus.RUNNING, started_at__lt=stale).update(
        status=BackupStatus.FAILED, finished_at=clock.now(), error="interrupted (no progress for 12 hours)")
    try:
        with transaction.atomic():
            run = Backup.objects.create(target=target, scheduled=scheduled, started_at=clock.now())
    except IntegrityError:
        raise BackupRunning() from None
    audit.record("storage.backup_start", actor=actor, obj=run, data={"target": target, "scheduled": scheduled})
    return run


@action("storage.backup")
def finish_backup(actor: Any, run: Backup, *, snapshot: str, blobs: int, copied: int, copied_bytes: int,
                  manifest_sha256: str, error: str = "") -> Backup:
    """The run ended: ``done`` when a snapshot was written (``error`` then lists what it lacks, e.g. files found
    damaged), else ``failed``."""
    run.status = BackupStatus.DONE if snapshot else BackupStatus.FAILED
    run.snapshot, run.blobs, run.blobs_copied, run.bytes_copied = snapshot, blobs, copied, copied_bytes
    run.manifest_sha256, run.error, run.finished_at = manifest_sha256, error[:2000], clock.now()
    run.save()
    audit.record("storage.backup", actor=actor, obj=run, data={
        "target": run.target, "snapshot": snapshot, "status": run.status, "blobs": blobs, "copied": copied,
        "bytes": copied_bytes, "manifest_sha256": manifest_sha256, "error": error[:200],
    })
    return run


@action("storage.restore")
def record_restore(actor: Any, *, source: str, snapshot: str, manifest_sha256: str, audit_head: int) -> None:
    """Written into the restored system: it was rebuilt from this backup (backups running then are closed)."""
    Backup.objects.filter(status=BackupStatus.RUNNING).update(
        status=BackupStatus.FAILED, finished_at=clock.now(), error="the system was restored from a backup")
    audit.record("storage.restore", actor=actor, object_type="storage.backup", object_id=snapshot, data={
        "source": source, "snapshot": snapshot, "manifest_sha256": manifest_sha256, "audit_head": audit_head,
    })
