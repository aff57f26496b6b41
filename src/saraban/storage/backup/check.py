"""``saraban backup verify DIR|s3://…``: prove that a snapshot can be restored.

1. The manifest matches its hash; the list of blobs matches the manifest.
2. The encrypted dump and every blob are read back and hashed against the manifest (no key needed).
3. The snapshot is restored into a scratch data directory (and, on PostgreSQL, a scratch database) by a
   separate ``saraban restore`` process: the dump decrypts with the master key, every table has the rows
   the manifest counted, and the audit chain verifies and ends at the head the manifest recorded.
   With ``deep``, the blobs are restored too and every one is decrypted and checked against its row.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from .manifest import Manifest
from .restore import blob_entries, read_manifest
from .targets import Target, open_target

ProgressFn = Callable[[str, int, int, int], None]


@dataclass
class Checked:
    snapshot: str = ""
    problems: list[str] = field(default_factory=list)
    blobs: int = 0
    bytes: int = 0
    restored: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _hash(pieces: object) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for piece in pieces:  # type: ignore[attr-defined]
        digest.update(piece)
        size += len(piece)
    return digest.hexdigest(), size


def check_files(target: Target, manifest: Manifest, found: Checked, progress: ProgressFn | None) -> None:
    info = manifest.database
    stored, size = _hash(target.files.open(f"snapshots/{manifest.snapshot}/{info['file']}"))
    if (stored, size) != (info["stored_sha256"], info["stored_size"]):
        found.problems.append(f"the database dump {info['file']} does not match the manifest")
    entries = blob_entries(target, manifest)
    for i, entry in enumerate(entries, start=1):
        try:
            digest, size = _hash(target.blobs.open(entry.name))
        except FileNotFoundError:
            found.problems.append(f"blob {entry.name} is missing")
            continue
        if digest != entry.stored_sha256 or size != entry.size:
            found.problems.append(f"blob {entry.name} does not match the manifest")
        found.blobs += 1
        found.bytes += size
        if progress and (i % 50 == 0 or i == len(entries)):
            progress("check", i, len(entries), found.bytes)
    for name in manifest.blobs.get("missing", []):
        found.problems.append(f"blob {name} was missing when the backup was made")


def _scratch_postgres(template: str | None = None) -> tuple[str, Callable[[], None]]:
    """A new database on the server of ``default`` (a copy of ``template``, given one): its URL and its drop."""
    import psycopg

    db = connection.settings_dict
    name = f"saraban_verify_{secrets.token_hex(4)}"
    params = dict(host=db.get("HOST") or None, port=db.get("PORT") or None, user=db.get("USER") or None,
                  password=db.get("PASSWORD") or None, dbname="postgres", autocommit=True)
    with psycopg.connect(**params) as conn:  # type: ignore[arg-type]
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))

    def drop() -> None:
        with psycopg.connect(**params) as conn:  # type: ignore[arg-type]
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    auth = quote(db.get("USER") or "postgres") + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    url = f"postgresql://{auth}@{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{name}"
    return url, drop


def restore_in_scratch(url: str, manifest: Manifest, *, deep: bool) -> dict:
    """Run ``saraban restore`` (and with ``deep`` ``saraban storage verify``) in a scratch system."""
    with tempfile.TemporaryDirectory(prefix="saraban-verify-") as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SARABAN_", "DATABASE_URL"))}
        passed = ("SARABAN_KMS", "SARABAN_MASTER_KEYS", "SARABAN_NAMES_KEY", "SARABAN_PKCS11_", "SARABAN_S3_",
                  "SARABAN_BACKUP_S3_", "SOFTHSM2_CONF")
        env.update({k: v for k, v in os.environ.items() if k.startswith(passed)})
        env.update(SARABAN_HOME=home, SARABAN_TASKS="immediate", DJANGO_SETTINGS_MODULE="saraban.settings")
        drop = None
        if manifest.vendor == "postgresql":
            env["DATABASE_URL"], drop = _scratch_postgres()
        try:
            cmd = [sys.executable, "-m", "saraban.cli", "restore", "--from", url, "--snapshot", manifest.snapshot,
                   "--keys", str(settings.SARABAN_KEY_DIR), "--json"]
            if not deep:
                cmd.append("--no-blobs")
            out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3600)
            if out.returncode != 0:
                return {"error": (out.stderr or out.stdout).strip()[-2000:]}
            result = json.loads(out.stdout.strip().splitlines()[-1])
            if deep:
                ver = subprocess.run([sys.executable, "-m", "saraban.cli", "storage", "verify", "--json"], env=env,
                                     capture_output=True, text=True, timeout=3600)
                result["storage_verify"] = json.loads(ver.stdout.strip().splitlines()[-1]) if ver.stdout.strip() \
                    else {"error": ver.stderr[-2000:]}
            return result
        finally:
            if drop is not None:
                drop()


def verify_backup(url: str, *, snapshot: str | None = None, deep: bool = False,
                  progress: ProgressFn | None = None) -> Checked:
    target = open_target(url)
    manifest, _ = read_manifest(target, snapshot)
    found = Checked(snapshot=manifest.snapshot)
    check_files(target, manifest, found, progress)
    if progress:
        progress("restore", 0, 1, 0)
    result = restore_in_scratch(url, manifest, deep=deep)
    found.restored = result
    if "error" in result:
        found.problems.append("restoring into a scratch system failed: " + result["error"])
        return found
    if not result.get("audit_ok"):
        found.problems.append("the audit chain does not verify: " + "; ".join(result.get("audit_problems", [])))
    if not result.get("counts_ok"):
        found.problems.append(f"row counts differ from the manifest: {result.get('count_differences')}")
    if deep and not result.get("storage_verify", {}).get("ok"):
        found.problems.append(f"blobs do not verify after restoring: {result.get('storage_verify')}")
    return found
