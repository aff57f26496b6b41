"""Bring the database's schema up to date, and start a new SQLite data directory from a ready-made empty schema.

Migrating an empty database from scratch costs about 6 CPU seconds on our 2-core machine, almost all of it in
Django rendering the migrations' model states, not in SQLite.  Every new SQLite data directory would pay that
on its first start.  So the first from-scratch migration on a machine keeps a copy of its result, the *empty
schema*, in the machine's cache (:mod:`.cachedir`), named by a digest of every migration file (and Django's and SQLite's
versions); a later new data directory starts from a copy of it, and ``migrate`` then runs as on a restart.
``scripts/install.sh`` makes the copy once, so even the first ``saraban demo`` on a machine starts from it.

Contract:

- only a database that does not exist yet (or is an empty file) is ever made from the copy; an existing one is
  only migrated;
- a copy is used only when its digest matches the migrations this code has: a changed, added or removed
  migration file gives another name, so an old copy is never used;
- the copy holds exactly what the migrations leave in an empty database (schema, triggers, the search index's
  tables, the rows data migrations write, content types): nothing of any data directory (no keys, no people,
  no audit event).  It is made with SQLite's backup API right after that migration, before anything else
  writes, and both the copy and its use land by ``os.replace``, so concurrent starts see a whole file or none;
- ``migrate`` always runs afterwards, so a copy that is somehow behind is brought forward, never trusted
  blindly.  PostgreSQL databases are always migrated the ordinary way.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import sqlite3
import tempfile
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connections

from .cachedir import cache_dir

log = logging.getLogger(__name__)


def digest() -> str:
    """A digest of every installed app's migration files and of Django's and SQLite's versions."""
    h = hashlib.sha256(f"django {django.__version__}; sqlite {sqlite3.sqlite_version}\n".encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        try:
            module = importlib.import_module(f"{config.name}.migrations")
        except ImportError:
            continue
        folder = Path(next(iter(module.__path__)))
        for f in sorted(folder.glob("*.py")):
            h.update(f"{config.label}/{f.name}\n".encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:24]


def template_path() -> Path:
    return cache_dir() / f"empty-schema-{digest()}.sqlite3"


def _sqlite_file() -> Path | None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3" or str(db["NAME"]).startswith(("file:", ":memory:")):
        return None
    return Path(db["NAME"])


def _copy(src: Path, dst: Path) -> None:
    """A consistent copy of the SQLite database ``src`` at ``dst`` (SQLite's backup API), landed whole."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dst.name}.", dir=dst.parent)
    os.close(fd)
    try:
        source, target = sqlite3.connect(src), sqlite3.connect(tmp)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def migrate() -> str:
    """Bring the default database's schema up to date; return how: ``"migrated"`` (an existing database, or a
    new PostgreSQL one), ``"from-copy"`` (a new SQLite database made from this machine's empty schema), or
    ``"from-scratch"`` (a new SQLite database migrated in full, its empty schema kept for the next)."""
    path = _sqlite_file()
    fresh = path is not None and (not path.exists() or path.stat().st_size == 0)  # (a connection made it empty)
    template = template_path() if fresh else None
    if path is not None and template is not None and template.exists():
        connections["default"].close()
        _copy(template, path)
        call_command("migrate", verbosity=0, interactive=False)
        return "from-copy"
    call_command("migrate", verbosity=0, interactive=False)
    if path is None or template is None:
        return "migrated"
    try:
        connections["default"].close()  # the migration's writes are all in the file (or its WAL, which backup reads)
        _copy(path, template)
    except OSError as exc:  # a read-only home or a full disk: the next new data directory migrates in full
        log.info("could not keep the empty schema in %s: %s", template.parent, exc)
    return "from-scratch"
