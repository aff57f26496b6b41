"""Backups in a second place, end to end with real processes: fill a system, ``saraban backup`` it, destroy it,
``saraban restore`` it into a fresh data directory, and check every letter, file hash, register number and the
audit chain.  Incremental copies, ``saraban backup verify`` catching damage, the schedule (``saraban tick``), and
a backup to another S3 bucket.

Each system is its own data directory (and, when the suite runs on PostgreSQL, its own database), driven by the
``saraban`` command as an operator would: a backup must not run inside the test's open transaction.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from saraban.storage.backup.check import _scratch_postgres

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.live  # many saraban commands, each its own process


@dataclass
class System:
    home: Path
    env: dict[str, str]
    drops: list[Callable[[], None]] = field(default_factory=list)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        out = subprocess.run([sys.executable, *args], env=self.env, cwd=ROOT, capture_output=True, text=True,
                             timeout=900)
        if check and out.returncode != 0:
            raise AssertionError(f"{args} failed:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}")
        return out

    def saraban(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("-m", "saraban.cli", *args, check=check)

    def json(self, *args: str) -> Any:
        return json.loads(self.saraban(*args).stdout.strip().splitlines()[-1])

    def summary(self) -> dict[str, Any]:
        return json.loads(self.run("-m", "tests.storage.restored").stdout)

    def fill(self, *args: str) -> dict[str, Any]:
        return json.loads(self.run("-m", "tests.storage.fill", *args).stdout)

    def destroy(self) -> None:
        for drop in self.drops:
            drop()
        self.drops.clear()
        shutil.rmtree(self.home, ignore_errors=True)


@pytest.fixture(scope="module")
def systems() -> Iterator[Callable[..., System]]:
    """Makes systems, removed at the end: ``systems()`` an empty one (a data directory; on PostgreSQL also a
    database), what a restore starts from; ``systems(migrated=True)`` a copy of one system migrated once for
    the module with the demo organisation loaded (its data directory with its keys, on PostgreSQL its
    database as a template), what a test fills: a fresh migration costs ~9 s of CPU."""
    made: list[System] = []
    base = Path(tempfile.mkdtemp(prefix="saraban-backup-tests-"))
    template: list[System] = []

    def make(*, migrated: bool = False, **extra: str) -> System:
        if migrated and not template:
            template.append(make())
            template[0].fill("--normal", "0", "--secret", "0")
        home = base / f"home-{uuid.uuid4().hex[:6]}"
        if migrated:
            shutil.copytree(template[0].home, home)
        else:
            home.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SARABAN_", "DATABASE_URL"))}
        env.update(SARABAN_HOME=str(home), DJANGO_SETTINGS_MODULE="saraban.settings", SARABAN_TASKS="immediate",
                   SARABAN_FAST_PASSWORDS="1", **extra)
        system = System(home, env)
        if connection.vendor == "postgresql":
            url, drop = _scratch_postgres(template[0].env["DATABASE_URL"].rsplit("/", 1)[1] if migrated else None)
            system.env["DATABASE_URL"] = url
            system.drops.append(drop)
        made.append(system)
        return system

    yield make
    for system in made:
        system.destroy()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def filled(systems: Callable[..., System]) -> tuple[System, dict[str, Any], Path]:
    """A filled system and a backup of it, shared by the tests that only read them."""
    system = systems(migrated=True)
    expected = system.fill()
    target = system.home.parent / f"backup-{uuid.uuid4().hex[:6]}"
    system.saraban("backup", "--to", str(target))
    return system, expected, target


def test_backup_destroy_restore_round_trip(systems: Callable[..., System]) -> None:
    original = systems(migrated=True)
    expected = original.fill()
    assert len(expected["letters"]) == 6 and len(expected["numbers"]) == 6
    assert sum(1 for f in expected["files"] if f[4]) >= 2  # the secret letters' files are encrypted
    target = original.home.parent / "second-place"
    out = original.saraban("backup", "--to", str(target)).stdout
    assert "ฐานข้อมูล/database: 1/1 (100%)" in out and "ไฟล์/blobs:" in out and "สำรองข้อมูลแล้ว" in out
    snapshot = next((target / "snapshots").iterdir())
    manifest = json.loads((snapshot / "manifest.json").read_text())
    assert manifest["audit"]["seq"] == expected["audit_head"][0] + 1  # with the backup's own start event
    assert "เรื่องลับ".encode() not in (snapshot / "database.enc").read_bytes()  # the dump is encrypted too
    keys = original.home.parent / "keys-kept-apart"
    shutil.copytree(original.home / "keys", keys)
    original.destroy()

    fresh = systems()
    restored = fresh.json("restore", "--from", str(target), "--keys", str(keys), "--json")
    assert restored["audit_ok"] and restored["counts_ok"] and restored["blobs"] == manifest["blobs"]["count"]
    after = fresh.summary()
    for key in ("letters", "files", "numbers"):
        assert after[key] == expected[key], key
    assert after["audit_head"][0] == manifest["audit"]["seq"] + 1  # one event more: the restore itself
    assert after["last_events"][0][1:] == ["storage.restore", manifest["audit"]["hash"]]
    assert after["last_events"][1][:2] == [manifest["audit"]["seq"], "storage.backup_start"]
    audit = fresh.saraban("audit", "verify")
    assert "OK" in audit.stdout
    checked = fresh.json("storage", "verify", "--json")  # every file read back, decrypted, hashed
    assert checked["ok"] and checked["checked"] == manifest["blobs"]["count"] and not checked["damaged"]
    again = fresh.saraban("restore", "--from", str(target), "--keys", str(keys), check=False)
    assert again.returncode != 0 and "ไม่กู้คืนทับระบบที่มีข้อมูลอยู่แล้ว" in again.stderr


def test_a_restore_without_the_master_key_is_refused(filled: Any, systems: Callable[..., System]) -> None:
    _, _, target = filled
    out = systems().saraban("restore", "--from", str(target), check=False)
    assert out.returncode != 0 and "กุญแจหลักรุ่น 1" in out.stderr and "key_version" in out.stderr


def test_blobs_are_copied_incrementally(systems: Callable[..., System]) -> None:
    system = systems(migrated=True)
    system.fill("--normal", "2", "--secret", "1")
    target = str(system.home.parent / f"inc-{uuid.uuid4().hex[:6]}")
    first = system.json("backup", "--to", target, "--json")
    second = system.json("backup", "--to", target, "--json")
    assert first["copied"] == first["blobs"] > 0 and second["blobs"] == first["blobs"]
    assert second["copied"] == 0 and second["bytes"] == 0
    system.fill("--first", "50", "--normal", "1", "--secret", "1")
    third = system.json("backup", "--to", target, "--json")
    assert third["blobs"] > first["blobs"] and third["copied"] == third["blobs"] - first["blobs"]
    assert system.saraban("backup", "list", target).stdout.count("\n") == 3


def test_backup_verify_proves_restorable_and_finds_damage(filled: Any, tmp_path: Path) -> None:
    system, _, target = filled
    copy = tmp_path / "copy"
    shutil.copytree(target, copy)
    deep = system.json("backup", "verify", str(copy), "--deep", "--json")  # without --deep: the S3 test below
    assert deep["ok"] and deep["restored"]["audit_ok"] and deep["restored"]["counts_ok"], deep
    assert deep["restored"]["storage_verify"]["ok"], deep
    victim = next(p for p in (copy / "blobs" / "enc").rglob("*") if p.is_file())
    victim.write_bytes(victim.read_bytes()[:-1] + b"!")
    bad = system.saraban("backup", "verify", str(copy), check=False)
    assert bad.returncode == 1 and f"blob enc/{victim.name} does not match" in bad.stdout
    manifest = next((copy / "snapshots").iterdir()) / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"seq": ', '"seq":  ', 1))
    altered = system.saraban("backup", "verify", str(copy), check=False)
    assert altered.returncode != 0 and "backup_invalid" in altered.stderr + altered.stdout


def test_backups_run_on_a_schedule(systems: Callable[..., System]) -> None:
    system = systems(migrated=True)
    system.fill("--normal", "1", "--secret", "0")
    assert "storage.backup: not due" in system.saraban("tick").stdout  # no target configured
    system.env["SARABAN_BACKUP_TO"] = str(system.home.parent / f"sched-{uuid.uuid4().hex[:6]}")
    first = system.saraban("tick").stdout
    assert "storage.backup: snapshot " in first, first
    assert "storage.backup: not due" in system.saraban("tick").stdout
    system.env["SARABAN_BACKUP_EVERY_HOURS"] = "0"
    assert "storage.backup: snapshot " in system.saraban("tick").stdout
    runs = system.saraban("backup", "list").stdout.strip().splitlines()
    assert len(runs) == 2 and all("done" in r and "(scheduled)" in r for r in runs)


def test_a_backup_to_another_bucket(filled: Any, systems: Callable[..., System], s3_url: str) -> None:
    from .conftest import s3_settings

    system, expected, _ = filled
    creds = s3_settings(s3_url)
    s3env = {"SARABAN_S3_ENDPOINT": creds["endpoint_url"], "SARABAN_S3_ACCESS_KEY": creds["access_key"],
             "SARABAN_S3_SECRET_KEY": creds["secret_key"]}
    url = f"s3://backup-{uuid.uuid4().hex[:12]}/saraban/daily"
    system.env.update(s3env)
    try:
        run = system.json("backup", "--to", url, "--json")
        assert run["copied"] == run["blobs"] > 0 and system.json("backup", "--to", url, "--json")["copied"] == 0
        assert system.json("backup", "verify", url, "--json")["ok"]
    finally:
        for k in s3env:
            system.env.pop(k)
    fresh = systems(**s3env)
    restored = fresh.json("restore", "--from", url, "--keys", str(system.home / "keys"), "--json")
    assert restored["audit_ok"] and restored["counts_ok"]
    after = fresh.summary()
    assert all(after[k] == expected[k] for k in ("letters", "files", "numbers"))


@pytest.mark.django_db
def test_one_backup_at_a_time_and_when_one_is_due(settings: Any, clock: Any) -> None:

    from saraban.storage.actions.backups import finish_backup, start_backup
    from saraban.storage.backup.schedule import due
    from saraban.storage.errors import BackupRunning

    settings.SARABAN_BACKUP_TO = "/backups"
    assert due()
    run = start_backup(None, "/backups")
    with pytest.raises(BackupRunning):
        start_backup(None, "/elsewhere")
    finish_backup(None, run, snapshot="s1", blobs=3, copied=3, copied_bytes=10, manifest_sha256="0" * 64)
    assert not due()
    clock.advance(hours=24)
    assert due()
    stuck = start_backup(None, "/backups")
    clock.advance(hours=13)  # a run that died (killed machine) does not block forever
    broken = start_backup(None, "/backups")
    stuck.refresh_from_db()
    assert stuck.status == "failed" and "interrupted" in stuck.error
    finish_backup(None, broken, snapshot="", blobs=0, copied=0, copied_bytes=0, manifest_sha256="",
                  error="StorageUnavailable: the target did not answer")
    assert not due()  # a failing target is not tried again at every tick
    clock.advance(hours=1, minutes=1)
    assert due()


def test_bad_locations_are_refused(filled: Any) -> None:
    system, _, _ = filled
    out = system.saraban("backup", "--to", "ftp://example.org/x", check=False)
    assert out.returncode != 0 and "unsupported backup location" in out.stderr
    missing = system.saraban("backup", "verify", str(system.home.parent / "nothing-here"), check=False)
    assert missing.returncode != 0 and "ไม่พบชุดข้อมูลสำรอง" in missing.stderr
