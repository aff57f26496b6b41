"""Mail fixtures: the demo organisation in a committed database (the receiver works in its own threads),
the built-in receiver on a free loopback port."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest

from saraban.mail import senders, smtpd
from tests.live.conftest import free_port

_append_only = importlib.import_module("saraban.audit.migrations.0002_append_only")


def _triggers(on: bool) -> None:
    from django.db import connection

    with connection.schema_editor() as editor:
        (_append_only.forwards if on else _append_only.backwards)(None, editor)


@pytest.fixture
def _audit_triggers_back(django_db_blocker: Any) -> Iterator[None]:
    """Set up before ``transactional_db``, so it is torn down after its flush: the triggers come back."""
    yield
    with django_db_blocker.unblock():
        _triggers(False)
        _triggers(True)


@pytest.fixture
def committed_db(_audit_triggers_back: None, transactional_db: Any) -> Iterator[None]:
    """A database whose writes commit (other threads see them); emptied afterwards.  The audit log is
    append-only, so its triggers are lifted for the flush only."""
    yield
    _triggers(False)


@pytest.fixture
def mail_org(committed_db: None, org: Any) -> Iterator[Any]:
    senders.forget()
    yield org
    senders.forget()


@pytest.fixture
def receiver(mail_org: Any) -> Iterator[tuple[smtpd.Receiver, int]]:
    port = free_port()
    handler = smtpd.Receiver()
    ctl = smtpd.controller("127.0.0.1", port, receiver=handler)
    ctl.start()
    try:
        yield handler, port
    finally:
        ctl.stop()
        handler.close()
