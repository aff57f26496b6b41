"""A new SQLite data directory starts from this machine's empty schema (``saraban.kernel.schema``): the same
database as a full migration gives, made only for a database that does not exist yet, and only from a copy
whose name matches the migrations this code has."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.backend("sqlite")

MIGRATE = "from saraban.kernel import schema; print('HOW', schema.migrate(), schema.template_path().name)"


def migrate(home: Path, cache: Path) -> tuple[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SARABAN_") and k not in (
        "DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env |= {"SARABAN_HOME": str(home), "SARABAN_CACHE_DIR": str(cache)}
    out = subprocess.run([sys.executable, "-m", "saraban.cli", "shell", "-c", MIGRATE], env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    how, name = next(line for line in out.stdout.splitlines() if line.startswith("HOW ")).split()[1:]
    return how, name


def contents(db: Path) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]], int]:
    """The schema (every table, index, trigger and their SQL), the applied migrations, and the content types."""
    con = sqlite3.connect(db)
    try:
        schema = con.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                             "ORDER BY type, name").fetchall()
        applied = con.execute("SELECT app, name FROM django_migrations ORDER BY app, name").fetchall()
        kinds = con.execute("SELECT count(*) FROM django_content_type").fetchone()[0]
    finally:
        con.close()
    return schema, applied, kinds


def test_a_new_directory_starts_from_the_copy_and_is_the_same_database(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    how, name = migrate(tmp_path / "a", cache)
    assert how == "from-scratch" and (cache / name).is_file()
    how_b, _ = migrate(tmp_path / "b", cache)
    assert how_b == "from-copy"
    a, b = contents(tmp_path / "a" / "saraban.sqlite3"), contents(tmp_path / "b" / "saraban.sqlite3")
    assert a == b and len(a[0]) > 100 and len(a[1]) > 40 and a[2] > 20
    # an existing database is migrated as it is, never replaced by the copy
    con = sqlite3.connect(tmp_path / "b" / "saraban.sqlite3")
    con.execute("INSERT INTO django_content_type (app_label, model) VALUES ('probe', 'kept')")
    con.commit()
    con.close()
    assert migrate(tmp_path / "b", cache)[0] == "migrated"
    con = sqlite3.connect(tmp_path / "b" / "saraban.sqlite3")
    assert con.execute("SELECT count(*) FROM django_content_type WHERE app_label = 'probe'").fetchone()[0] == 1
    con.close()


def test_a_copy_for_other_migrations_is_never_used(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    stale = cache / "empty-schema-000000000000000000000000.sqlite3"  # another migration set's copy
    con = sqlite3.connect(stale)
    con.execute("CREATE TABLE stale (x)")
    con.commit()
    con.close()
    how, name = migrate(tmp_path / "a", cache)
    assert how == "from-scratch" and name != stale.name
    con = sqlite3.connect(tmp_path / "a" / "saraban.sqlite3")
    assert not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'stale'").fetchone()
    con.close()
