"""Test set-up shared by the whole suite (the environment itself is fixed in ``tests/settings.py``)."""

import importlib
from typing import Any

import pytest

pytest_plugins = ["tests.fixtures", "tests.procs"]


@pytest.fixture(autouse=True)
def _shipped_holidays(request: Any) -> None:
    """The government holidays a migration loads are part of every database a test starts from.  A test that
    commits (``transaction=True``) is flushed afterwards, which empties the table for the tests after it in
    the same process; put them back (what the migration does, idempotently) before a test that uses the
    database and does not commit."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(
        marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    if transactional or not (marker or "db" in request.fixturenames):
        return
    request.getfixturevalue("db")
    from django.apps import apps

    from saraban.routing.models import Holiday

    if not Holiday.objects.exists():
        importlib.import_module("saraban.routing.migrations.0002_holidays_2569").load(apps, None)


DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_setup", "committed_db"})


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Which tests run in this pass (docs/testing.md):

    - ``@pytest.mark.backend("sqlite")``: a test that drives the system from outside through real processes
      (a browser, several nodes) and proves the same thing on either database runs in one pass only, the one
      it names;
    - ``@pytest.mark.no_database``: a test that touches no database (typesetting, signatures, Thai text, the
      layout) runs in the SQLite pass only: a second run would repeat it exactly.  Such a test asking for the
      database is a mistake, and stops the collection.

    The other pass deselects them (counted as deselected, never as skipped)."""
    from django.db import connection

    keep, other = [], []
    for item in items:
        free = item.get_closest_marker("no_database") is not None
        if free and (item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames)):
            raise pytest.UsageError(f"{item.nodeid} is marked no_database but uses the database")
        marker = item.get_closest_marker("backend")
        vendor = "sqlite" if free else marker.args[0] if marker is not None else connection.vendor
        (keep if vendor == connection.vendor else other).append(item)
    if other:
        config.hook.pytest_deselected(items=other)
    # the modules that start processes (servers, browsers, commands) first: each takes 10–70 s, and two xdist
    # workers given them last finish apart (longest first); the order within each group is kept
    items[:] = sorted(keep, key=lambda item: not any(item.get_closest_marker(m) for m in ("live", "browser")))
