"""``saraban restore --from DIR|s3://…``: rebuild a working system from a backup snapshot.

Into the data directory ``SARABAN_HOME`` names (and the database ``DATABASE_URL`` names, if set), which must
be empty: the keys are put in place first (``--keys DIR``, or already configured), the database dump is
decrypted, checked and loaded, migrations run, the blobs are copied into the configured blob store and
checked against the manifest, the audit chain is verified, and a ``storage.restore`` event is written.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command

from saraban.kernel import clock

from .. import blobs, crypto, keys
from ..actions.backups import record_restore
from ..errors import BackupInvalid, KeyUnavailable, RestoreRefused
from ..models import Blob
from . import database
from .manifest import BlobEntry, Manifest, parse_blob_lines, sha256_of
from .targets import Target, destroyed_names, open_target

ProgressFn = Callable[[str, int, int, int], None]


@dataclass
class Restored:
    snapshot: str
    manifest_sha256: str
    audit_seq: int = 0
    audit_ok: bool = False
    audit_problems: list[str] = field(default_factory=list)
    counts_ok: bool = False
    count_differences: dict[str, list[int]] = field(default_factory=dict)
    blobs: int = 0
    blobs_copied: int = 0


def read_manifest(target: Target, snapshot: str | None) -> tuple[Manifest, str]:
    """The snapshot's manifest (the latest complete one if none is named), checked against its hash."""
    done = target.snapshots()
    sid = snapshot or (done[-1] if done else "")
    if not sid or sid not in done:
        raise BackupInvalid(f"ไม่พบชุดข้อมูลสำรองที่สมบูรณ์ ‘{sid or '-'}’ ใน {target.url}",
                            f"No complete snapshot {sid or '(any)'} in {target.url}")
    body = b"".join(target.files.open(f"snapshots/{sid}/manifest.json"))
    recorded = b"".join(target.files.open(f"snapshots/{sid}/manifest.sha256")).decode().strip()
    if sha256_of(body) != recorded:
        raise BackupInvalid(details={"file": "manifest.json"})
    return Manifest.from_bytes(body), recorded


def blob_entries(target: Target, manifest: Manifest) -> list[BlobEntry]:
    data = b"".join(target.files.open(f"snapshots/{manifest.snapshot}/{manifest.blobs['file']}"))
    if sha256_of(data) != manifest.blobs["sha256"]:
        raise BackupInvalid(details={"file": manifest.blobs["file"]})
    destroyed = destroyed_names(target)  # destroyed on purpose after this snapshot: not checked, not restored
    return [e for e in parse_blob_lines(data) if e.name not in destroyed]


def install_keys(source: Path) -> None:
    """Copy key files (``master-<n>.key``, ``names.key``, ``master.key``) into ``SARABAN_KEY_DIR``."""
    target = Path(settings.SARABAN_KEY_DIR)
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    for path in Path(source).iterdir():
        if not path.is_file() or not path.name.endswith(".key"):
            continue
        dest = target / path.name
        if dest.exists():
            if dest.read_bytes() != path.read_bytes():
                raise RestoreRefused(f"มีกุญแจ {path.name} อื่นอยู่แล้วใน {target}",
                                     f"A different {path.name} is already in {target}")
            continue
        shutil.copyfile(path, dest)
        dest.chmod(0o600)
    keys._configured.cache_clear()


def check_keys(manifest: Manifest) -> None:
    """Every master key version the snapshot needs is here, and is the same key (by fingerprint)."""
    master = keys.master_keys()
    for version, expected in manifest.keys.get("fingerprints", {}).items():
        try:
            found = keys.fingerprint(master, int(version))
        except KeyUnavailable:
            found = "absent"
        if expected != "unavailable" and found != expected:
            raise KeyUnavailable(
                f"ไม่มีกุญแจหลักรุ่น {version} ที่ตรงกับข้อมูลสำรอง: ไฟล์ชั้นความลับและฐานข้อมูลอ่านไม่ได้หากไม่มีกุญแจนี้",
                f"Master key version {version} of this backup is not here ({found}); without it the database and "
                "classified files cannot be read", details={"key_version": int(version)})
    if manifest.keys.get("legacy_master_key_needed") and crypto.load_legacy_key(settings.SARABAN_KEY_DIR) is None:
        raise KeyUnavailable("ต้องมี keys/master.key (กุญแจรุ่นเดิม) ด้วย", "keys/master.key (the old key) is needed too",
                             details={"key_version": 0})


def fetch_database(target: Target, manifest: Manifest, work: Path) -> Path:
    info = manifest.database
    path = work / info["format"]
    stored = hashlib.sha256()
    plain = hashlib.sha256()

    def pieces() -> Any:
        for piece in target.files.open(f"snapshots/{manifest.snapshot}/{info['file']}"):
            stored.update(piece)
            yield piece

    data_key = keys.master_keys().unwrap(int(info["key_version"]), base64.b64decode(info["wrapped_key"]))
    try:
        with open(path, "wb") as fh:
            for piece in crypto.decrypt_stream(pieces(), info["sha256"], lambda _h: data_key):
                plain.update(piece)
                fh.write(piece)
    except crypto.DecryptError as exc:
        raise BackupInvalid(details={"file": info["file"], "problem": str(exc)}) from exc
    if stored.hexdigest() != info["stored_sha256"] or plain.hexdigest() != info["sha256"]:
        raise BackupInvalid(details={"file": info["file"]})
    return path


def copy_blobs_back(target: Target, entries: list[BlobEntry], progress: ProgressFn | None = None) -> int:
    live = blobs.store()
    copied = 0
    for i, entry in enumerate(entries, start=1):
        if not live.exists(entry.name):
            digest = hashlib.sha256()

            def pieces(name: str = entry.name, digest: Any = digest) -> Any:
                for piece in target.blobs.open(name):
                    digest.update(piece)
                    yield piece

            live.put(entry.name, pieces())
            if digest.hexdigest() != entry.stored_sha256:
                live.delete(entry.name)
                raise BackupInvalid(details={"blob": entry.name})
            copied += 1
        if progress and (i % 50 == 0 or i == len(entries)):
            progress("blobs", i, len(entries), 0)
    return copied


def restore(url: str, *, snapshot: str | None = None, keys_from: Path | None = None, copy_blobs: bool = True,
            force: bool = False, progress: ProgressFn | None = None) -> Restored:
    from saraban.audit.verify import verify

    target = open_target(url)
    manifest, manifest_sha = read_manifest(target, snapshot)
    entries = blob_entries(target, manifest)
    if keys_from is not None:
        install_keys(keys_from)
    check_keys(manifest)
    if not force and not database.is_empty():
        raise RestoreRefused(details={"home": str(settings.HOME)})
    done = Restored(manifest.snapshot, manifest_sha)
    work_root = Path(settings.HOME) / "tmp"
    work_root.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="restore-", dir=work_root) as work:
        if progress:
            progress("database", 0, 1, 0)
        database.load(manifest.vendor, fetch_database(target, manifest, Path(work)))
    now = database.counts()
    done.count_differences = {t: [n, now.get(t, -1)] for t, n in manifest.counts.items() if now.get(t) != n}
    done.counts_ok = not done.count_differences
    call_command("migrate", verbosity=0, interactive=False)
    if copy_blobs:
        done.blobs_copied = copy_blobs_back(target, entries, progress)
    gone = destroyed_names(target)  # the restored rows of files destroyed since: their content stays gone
    if gone:
        Blob.objects.filter(name__in=gone).update(damage="destroyed", wrapped_key=None, damaged_at=clock.now())
    done.blobs = len(entries)
    report = verify()
    done.audit_ok = report.ok
    done.audit_problems = [p.message for p in report.problems]
    from saraban.audit.models import AuditHead

    head = AuditHead.objects.filter(id=1).first()
    done.audit_seq = head.last_seq if head else 0
    if head is not None and (head.last_seq, head.last_hash) != (manifest.audit["seq"], manifest.audit["hash"]):
        done.audit_ok = False
        done.audit_problems.append("the audit head differs from the one the manifest recorded")
    if done.audit_ok and done.counts_ok:
        record_restore(None, source=target.url, snapshot=manifest.snapshot, manifest_sha256=manifest_sha,
                       audit_head=done.audit_seq)
    return done
