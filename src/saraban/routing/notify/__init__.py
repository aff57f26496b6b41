"""Notifications behind one small interface: in-app rows always; e-mail and LINE through an outbox.

A :class:`Notifier` sends one text message to one address and returns the provider's message id.
Channels are chosen by settings (or the environment), and tests pass their own notifier objects.
Notices are made inside the routing actions (:mod:`.service`) and sent by the worker (:mod:`.delivery`).
"""

from __future__ import annotations

from typing import Protocol

from .base import NotifyFailed, setting

__all__ = ["Notifier", "NotifyFailed", "notifier_for", "setting", "use"]


class Notifier(Protocol):
    channel: str

    def send(self, address: str, subject: str, body: str, *, key: str) -> str:
        """Send; return the provider's message id.  ``key`` is reused on retries (idempotency)."""
        ...


_overrides: dict[str, Notifier] = {}


def use(channel: str, notifier: Notifier | None) -> None:
    """Install (or, with ``None``, remove) the notifier for a channel — e.g. a fake in tests."""
    if notifier is None:
        _overrides.pop(channel, None)
    else:
        _overrides[channel] = notifier


def notifier_for(channel: str) -> Notifier:
    if channel in _overrides:
        return _overrides[channel]
    if channel == "email":
        from .email import EmailNotifier

        return EmailNotifier()
    if channel == "line":
        from .line import LineNotifier

        return LineNotifier(base_url=setting("SARABAN_LINE_API_BASE", "https://api.line.me"),
                            token=setting("SARABAN_LINE_CHANNEL_TOKEN"))
    raise ValueError(f"unknown channel {channel!r}")
