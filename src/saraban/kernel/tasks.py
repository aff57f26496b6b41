"""Enqueue background work so that it commits (or rolls back) with the action that asked for it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction


def enqueue(task: Any, *args: Any, **kwargs: Any) -> None:
    """With the database queue the task row is written in the current transaction (an outbox);
    with the immediate backend (tests) the task runs right after the commit."""
    if settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend"):
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
    else:
        task.enqueue(*args, **kwargs)
