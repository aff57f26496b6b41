"""``saraban backup --to DIR|s3://bucket/prefix``: a consistent snapshot in a second place.

1. The database is snapshotted (:mod:`.database`); the snapshot names the blobs it needs and the audit head.
2. The dump is encrypted (envelope, the current master key version) and written to the target.
3. Blobs are copied as stored (classified ones stay encrypted), only those the target lacks: a blob the
   previous snapshot recorded and the target still holds is not read again.
4. ``blobs.jsonl`` and ``manifest.json`` record hashes of everything; ``manifest.sha256`` is written last.

Every run is recorded by the actions ``storage.backup_start`` and ``storage.backup``.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from saraban.kernel import clock

from .. import blobs, crypto, keys
from ..actions.backups import finish_backup, start_backup
from ..models import Backup, Blob
from . import database
from .manifest import BlobEntry, Manifest, parse_blob_lines, sha256_of
from .targets import Target, open_target

ProgressFn = Callable[[str, int, int, int], None]  # stage, done, total, bytes


@dataclass
class Copied:
    entries: list[BlobEntry] = field(default_factory=list)
    copied: int = 0
    copied_bytes: int = 0
    damaged: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


class _Hashing:
    """Passes pieces through, hashing and counting them."""

    def __init__(self, pieces: Iterable[bytes]) -> None:
        self.pieces, self.digest, self.size, self.done = pieces, hashlib.sha256(), 0, False

    def __iter__(self) -> Iterator[bytes]:
        for piece in self.pieces:
            self.digest.update(piece)
            self.size += len(piece)
            yield piece
        self.done = True


def _hash_stored(target: Target, name: str) -> tuple[str, int]:
    h = _Hashing(target.blobs.open(name))
    for _ in h:
        pass
    return h.digest.hexdigest(), h.size


def snapshot_id() -> str:
    return clock.now().strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(2)


def previous_entries(target: Target) -> dict[str, BlobEntry]:
    """The blobs the latest complete snapshot recorded (what need not be read again)."""
    done = target.snapshots()
    if not done:
        return {}
    data = b"".join(target.files.open(f"snapshots/{done[-1]}/blobs.jsonl"))
    return {e.name: e for e in parse_blob_lines(data)}


def copy_blobs(target: Target, names: list[str], progress: ProgressFn | None = None) -> Copied:
    known = previous_entries(target)
    out = Copied()
    source = blobs.store()
    for i, name in enumerate(names, start=1):
        there = target.blobs.exists(name)
        entry = known.get(name) if there else None
        if entry is None and there:  # left by an interrupted earlier run: hash what the target holds
            entry = BlobEntry(name, *_hash_stored(target, name))
        elif entry is None:
            try:
                stream = _Hashing(source.open(name))
            except FileNotFoundError:
                out.missing.append(name)
                continue
            target.blobs.put(name, stream)
            if not stream.done:  # stored meanwhile by a concurrent run
                entry = BlobEntry(name, *_hash_stored(target, name))
            else:
                entry = BlobEntry(name, stream.digest.hexdigest(), stream.size)
                out.copied += 1
                out.copied_bytes += stream.size
        if not name.startswith("enc/") and entry.stored_sha256 != name:
            out.damaged.append(name)
        out.entries.append(entry)
        if progress and (i % 50 == 0 or i == len(names)):
            progress("blobs", i, len(names), out.copied_bytes)
    return out


def _write_database(target: Target, snap: database.Snapshot, sid: str) -> dict[str, Any]:
    digest = hashlib.sha256()
    with open(snap.path, "rb") as fh:
        while piece := fh.read(1024 * 1024):
            digest.update(piece)
    plain_sha = digest.hexdigest()
    version = keys.version_for_writing()
    data_key = secrets.token_bytes(32)
    header = crypto.Header.new(version, keys.master_keys().wrap(version, data_key))

    def plain() -> Iterator[bytes]:
        with open(snap.path, "rb") as fh:
            while piece := fh.read(1024 * 1024):
                yield piece

    stored = _Hashing(crypto.encrypt_stream(data_key, header, plain_sha, plain()))
    target.files.write(f"snapshots/{sid}/database.enc", stored)
    return {"file": "database.enc", "format": snap.path.name, "sha256": plain_sha, "size": snap.path.stat().st_size,
            "stored_sha256": stored.digest.hexdigest(), "stored_size": stored.size, "key_version": version,
            "wrapped_key": base64.b64encode(header.wrapped_key).decode()}


def _keys_info(db_key_version: int) -> dict[str, Any]:
    master = keys.master_keys()
    needed = {int(v) for v in Blob.objects.filter(encrypted=True).values_list("key_version", flat=True).distinct()
              if v} | {db_key_version}
    fingerprints = {}
    for v in sorted(needed):
        try:
            fingerprints[str(v)] = keys.fingerprint(master, v)
        except Exception:  # noted; verify and restore say which key is missing
            fingerprints[str(v)] = "unavailable"
    legacy = Blob.objects.filter(encrypted=True, key_version=0).exists()
    return {"kms": master.kind, "current": keys.current_version(), "fingerprints": fingerprints,
            "legacy_master_key_needed": legacy}


def write_snapshot(target: Target, progress: ProgressFn | None = None) -> tuple[Manifest, Copied, str]:
    sid = snapshot_id()
    work_root = Path(settings.HOME) / "tmp"
    work_root.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="backup-", dir=work_root) as work:
        if progress:
            progress("database", 0, 1, 0)
        snap = database.dump(Path(work))
        db_info = _write_database(target, snap, sid)
        if progress:
            progress("database", 1, 1, db_info["stored_size"])
    copied = copy_blobs(target, snap.names, progress)
    lines = b"".join(e.line() for e in copied.entries)
    target.files.write(f"snapshots/{sid}/blobs.jsonl", [lines])
    manifest = Manifest(
        snapshot=sid, created_at=clock.now().isoformat(), vendor=snap.vendor, database=db_info,
        audit={"seq": snap.audit_seq, "hash": snap.audit_hash}, counts=snap.counts,
        blobs={"file": "blobs.jsonl", "sha256": sha256_of(lines), "count": len(copied.entries),
               "bytes": sum(e.size for e in copied.entries), "damaged": copied.damaged, "missing": copied.missing},
        keys=_keys_info(db_info["key_version"]), saraban_version=_version(),
    )
    body = manifest.to_bytes()
    target.files.write(f"snapshots/{sid}/manifest.json", [body])
    target.files.write(f"snapshots/{sid}/manifest.sha256", [sha256_of(body).encode() + b"\n"])
    return manifest, copied, sha256_of(body)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("saraban")
    except PackageNotFoundError:
        return ""


def backup(url: str, *, actor: Any = None, scheduled: bool = False, progress: ProgressFn | None = None) -> Backup:
    """Back up to ``url``; the run is recorded whether it succeeds or fails (and a failure raised again)."""
    target = open_target(url)
    run = start_backup(actor, target.url, scheduled=scheduled)
    try:
        manifest, copied, manifest_sha = write_snapshot(target, progress)
    except Exception as exc:
        finish_backup(actor, run, snapshot="", blobs=0, copied=0, copied_bytes=0, manifest_sha256="",
                      error=f"{type(exc).__name__}: {exc}")
        raise
    problems = [f"{len(copied.damaged)} damaged"] if copied.damaged else []
    problems += [f"{len(copied.missing)} missing"] if copied.missing else []
    return finish_backup(actor, run, snapshot=manifest.snapshot, blobs=len(copied.entries), copied=copied.copied,
                         copied_bytes=copied.copied_bytes, manifest_sha256=manifest_sha,
                         error=("blobs: " + ", ".join(problems)) if problems else "")
