"""Background work of the mail gateway (the task queue's worker and ``saraban tick``)."""

from __future__ import annotations

from django_tasks import task

from . import pipeline, poller, sender


@task()
def send_mail(pk: str) -> str:
    """Try to send one queued e-mail (safe to run twice: the claim is a lease)."""
    return sender.deliver(pk)


def tick() -> dict[str, object]:
    """Periodic: poll the IMAP mailboxes that are due, examine what is left, send what is due."""
    return {"polled": poller.poll_due(), "examined": pipeline.process_pending(), "sent": sender.deliver_due()}
