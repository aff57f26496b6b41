"""Background work of the exchange (run by the task queue's worker, after the action committed).

The app names these tasks to :mod:`.outbox` when it loads (:func:`.hookup.connect`), so the actions that
wake them need no upward import.
"""

from __future__ import annotations

from django_tasks import task

from . import handover, refresh
from .outbox import worker


@task()
def deliver(message_pk: str) -> str:
    """Try to deliver one outbox message (the outbox worker; safe to run twice: the claim is a lease)."""
    return worker.deliver(message_pk)


@task()
def hand_over(inbound_pk: str) -> str:
    """Put a received letter in the recipient's intake queue (validating its PAdES signatures first)."""
    return handover.hand_over(inbound_pk)


@task()
def refresh_directory() -> str:
    """Fetch the directory from its configured source again (the administrator's refresh button)."""
    return refresh.refresh(actor=None)

