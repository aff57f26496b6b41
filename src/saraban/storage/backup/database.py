"""A consistent snapshot of the database, and loading one back.

SQLite: the online backup API copies the live database page by page into a file (safe while Saraban runs);
what the snapshot needs (blob names, audit head, counts) is then read from that copy.
PostgreSQL: a repeatable-read transaction exports its snapshot; ``pg_dump --snapshot`` dumps exactly that,
and the blob names, audit head and counts are read in the same transaction.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection

from saraban.audit.models import AuditEvent, AuditHead

from ..models import Blob


@dataclass
class Snapshot:
    vendor: str
    path: Path  # the dump: an SQLite file or a pg_dump custom-format archive
    names: list[str] = field(default_factory=list)
    audit_seq: int = 0
    audit_hash: str = ""
    counts: dict[str, int] = field(default_factory=dict)


def _tables(cur: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cur.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    else:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [row[0] for row in cur.fetchall()]


def _read(cur: Any, snap: Snapshot) -> Snapshot:
    """Blob names, the audit head and the row count of every table, as the snapshot holds them."""
    q = connection.ops.quote_name
    # destroyed files (saraban.records.shred) are gone on purpose: no backup asks for them again
    cur.execute(f"SELECT name FROM {q(Blob._meta.db_table)} WHERE damage <> 'destroyed' ORDER BY id")
    snap.names = [row[0] for row in cur.fetchall()]
    cur.execute(f"SELECT last_seq, last_hash FROM {q(AuditHead._meta.db_table)} WHERE id = 1")
    head = cur.fetchone()
    snap.audit_seq, snap.audit_hash = (int(head[0]), str(head[1])) if head else (0, "0" * 64)
    for table in _tables(cur, snap.vendor):
        cur.execute(f"SELECT count(*) FROM {q(table)}")
        snap.counts[table] = int(cur.fetchone()[0])
    return snap


def counts() -> dict[str, int]:
    """Rows per table in the database in use (to compare a restored system with its manifest)."""
    with connection.cursor() as cur:
        return _read(cur, Snapshot(connection.vendor, Path())).counts


def dump(work: Path) -> Snapshot:
    """Write a snapshot of the database in use into the directory ``work``."""
    if connection.vendor == "sqlite":
        return _dump_sqlite(work)
    if connection.vendor == "postgresql":
        return _dump_postgresql(work)
    raise RuntimeError(f"backups of {connection.vendor} are not supported")


def _dump_sqlite(work: Path) -> Snapshot:
    path = work / "database.sqlite3"
    if connection.in_atomic_block:  # the backup API would wait for this very transaction forever
        raise RuntimeError("a backup must start outside a database transaction")
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as target:
        connection.connection.backup(target)
    with closing(sqlite3.connect(path)) as copy:
        return _read(copy.cursor(), Snapshot("sqlite", path))


def _pg_env() -> tuple[dict[str, str], list[str]]:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    args = ["-h", db.get("HOST") or "localhost", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    return env, args


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if not versions:
        raise RuntimeError(f"{name} is not installed (apt-get install postgresql-client)")
    return str(versions[-1])


def _dump_postgresql(work: Path) -> Snapshot:
    import psycopg

    path = work / "database.pgdump"
    db = connection.settings_dict
    env, args = _pg_env()
    with psycopg.connect(host=db.get("HOST") or None, port=db.get("PORT") or None, user=db.get("USER") or None,
                         password=db.get("PASSWORD") or None, dbname=db["NAME"]) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        exported = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]  # type: ignore[index]
        subprocess.run([_pg_tool("pg_dump"), *args, "-Fc", "--no-owner", "--no-privileges", "--snapshot", exported,
                        "-f", str(path), db["NAME"]], env=env, check=True, capture_output=True)
        snap = _read(conn.cursor(), Snapshot("postgresql", path))
        conn.rollback()
    return snap


def is_empty() -> bool:
    """Whether the database in use holds nothing yet (no tables, or no audit event and no blob)."""
    tables = set(connection.introspection.table_names())
    if AuditEvent._meta.db_table not in tables:
        return True
    return not AuditEvent.objects.exists() and not Blob.objects.exists()


def load(vendor: str, path: Path) -> None:
    """Replace the database in use by the snapshot at ``path``."""
    if vendor != connection.vendor:
        raise RuntimeError(f"the backup is of {vendor}; this system runs {connection.vendor}: restore into "
                           f"{'a DATABASE_URL' if vendor == 'postgresql' else 'SQLite (no DATABASE_URL)'}")
    if vendor == "sqlite":
        target = Path(connection.settings_dict["NAME"])
        connection.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(target)) as dest:
            source.backup(dest)
        return
    env, args = _pg_env()
    connection.close()
    subprocess.run([_pg_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner", "--no-privileges",
                    "--single-transaction", "-d", connection.settings_dict["NAME"], str(path)],
                   env=env, check=True, capture_output=True)
