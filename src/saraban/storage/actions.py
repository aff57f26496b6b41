"""Actions of the storage app: damage found, verification runs, key rotation and re-wrapping, sweeps, backups.

Each is one transaction with one audit event.  They are called by the CLI (``saraban storage``, ``saraban
keys``, ``saraban backup``/``restore``), the periodic jobs, and — for damage found while reading — by
:mod:`saraban.storage.blobs`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action, on_rollback

from . import keys
from .errors import BackupRunning
from .models import Backup, BackupStatus, Blob, KeyVersion, Scheme

MAX_LISTED = 500  # ids listed in one audit event; the counts are always complete


@action("storage.blob_damaged")
def mark_damaged(blob_id: int, kind: str, *, via: str) -> None:
    """A blob was found damaged (``corrupt``: its bytes do not match its hash; ``missing``)."""
    now = clock.now()
    Blob.objects.filter(pk=blob_id).update(damage=kind, damaged_at=now)
    audit.record("storage.blob_damaged", object_type="storage.blob", object_id=str(blob_id),
                 data={"kind": kind, "via": via})


@dataclass
class Verification:
    """What ``saraban storage verify`` found."""

    checked: int = 0
    bytes: int = 0
    damaged: dict[int, str] = field(default_factory=dict)  # blob id -> corrupt | missing
    healed: list[int] = field(default_factory=list)  # marked damaged before, intact now (restored)
    orphans: int = 0

    @property
    def ok(self) -> bool:
        return not self.damaged


@action("storage.verify")
def record_verification(actor: Any, found: Verification) -> Verification:
    now = clock.now()
    for kind in ("corrupt", "missing"):
        ids = [i for i, k in found.damaged.items() if k == kind]
        for start in range(0, len(ids), 500):
            Blob.objects.filter(pk__in=ids[start:start + 500]).update(damage=kind, damaged_at=now)
    if found.healed:
        Blob.objects.filter(pk__in=found.healed).update(damage="", damaged_at=None)
    kinds = Counter(found.damaged.values())
    audit.record("storage.verify", actor=actor, object_type="storage.blob", object_id="*", data={
        "checked": found.checked, "bytes": found.bytes, "corrupt": kinds.get("corrupt", 0),
        "missing": kinds.get("missing", 0), "damaged_ids": sorted(found.damaged)[:MAX_LISTED],
        "healed": len(found.healed), "orphans": found.orphans,
    })
    return found


@action("storage.sweep")
def record_sweep(actor: Any, *, orphans: list[str], temporary: int) -> None:
    """Objects no row names (left by failed writes) and temporary files were removed from the store."""
    audit.record("storage.sweep", actor=actor, object_type="storage.blob", object_id="*",
                 data={"orphans": len(orphans), "temporary": temporary})


@action("storage.rotate_key")
def rotate_key(actor: Any, version: int) -> KeyVersion:
    """Make master key ``version`` (already present in the key source) the one new data keys are wrapped with."""
    master = keys.master_keys()
    current = keys.current_version()
    if version <= current:
        from saraban.kernel.errors import InvalidInput

        raise InvalidInput(f"รุ่นกุญแจใหม่ต้องมากกว่ารุ่นปัจจุบัน ({current})",
                           f"The new key version must be above the current one ({current})")
    row = KeyVersion.objects.create(version=version, kms=master.kind, fingerprint=keys.fingerprint(master, version),
                                    activated_at=clock.now())
    audit.record("storage.rotate_key", actor=actor, object_type="storage.keyversion", object_id=str(version),
                 data={"version": version, "previous": current, "kms": master.kind, "fingerprint": row.fingerprint})
    return row


@action("storage.rewrap")
def rewrap(actor: Any, batch: list[Blob], to_version: int) -> int:
    """Wrap the data keys of ``batch`` with master key ``to_version``; the ciphertext stays as it is.

    Blobs of the old scheme (key derived from ``keys/master.key``, named by their plain SHA-256) also get
    their derived key wrapped, and their object a keyed name: copied there, the old name removed once this
    transaction commits.
    """
    from django.conf import settings

    from . import blobs, crypto

    master = keys.master_keys()
    store = blobs.store()
    moved: list[str] = []
    before: Counter[str] = Counter()
    for blob in batch:
        before[str(blob.key_version)] += 1
        wrapped = master.wrap(to_version, blobs.data_key_of(blob))
        fields: dict[str, Any] = {"key_version": to_version, "wrapped_key": wrapped}
        if blob.scheme == Scheme.LEGACY and blob.name == "enc/" + blob.sha256:
            target = "enc/" + master.name_for(blob.sha256)
            store.copy(blob.name, target)
            on_rollback(lambda target=target: store.delete(target))
            moved.append(blob.name)
            fields["name"] = target
        Blob.objects.filter(pk=blob.pk, key_version=blob.key_version).update(**fields)
    for old in moved:
        transaction.on_commit(lambda old=old: store.delete(old))
    audit.record("storage.rewrap", actor=actor, object_type="storage.keyversion", object_id=str(to_version), data={
        "to": to_version, "count": len(batch), "from": dict(before), "renamed": len(moved),
        "legacy_key": bool(moved) and crypto.load_legacy_key(settings.SARABAN_KEY_DIR) is not None,
    })
    return len(batch)


@action("storage.backup_start")
def start_backup(actor: Any, target: str, *, scheduled: bool = False) -> Backup:
    stale = clock.now() - _stale_after()
    Backup.objects.filter(status=BackupStatus.RUNNING, started_at__lt=stale).update(
        status=BackupStatus.FAILED, finished_at=clock.now(), error="interrupted (no progress for 12 hours)")
    try:
        with transaction.atomic():
            run = Backup.objects.create(target=target, scheduled=scheduled, started_at=clock.now())
    except IntegrityError:
        raise BackupRunning() from None
    audit.record("storage.backup_start", actor=actor, obj=run, data={"target": target, "scheduled": scheduled})
    return run


def _stale_after() -> Any:
    import datetime as dt

    return dt.timedelta(hours=12)


@action("storage.backup")
def finish_backup(actor: Any, run: Backup, *, snapshot: str, blobs: int, copied: int, copied_bytes: int,
                  manifest_sha256: str, error: str = "") -> Backup:
    run.status = BackupStatus.FAILED if error else BackupStatus.DONE
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
