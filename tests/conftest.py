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


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """``@pytest.mark.backend("sqlite")``: a test that drives the system from outside through real processes
    (a browser, several nodes) and proves the same thing on either database runs in one pass only, the one it
    names; the other pass deselects it (counted as deselected, never as skipped).  Which tests, and why:
    docs/testing.md."""
    from django.db import connection

    keep, other = [], []
    for item in items:
        marker = item.get_closest_marker("backend")
        (other if marker is not None and marker.args[0] != connection.vendor else keep).append(item)
    if other:
        config.hook.pytest_deselected(items=other)
        items[:] = keep
