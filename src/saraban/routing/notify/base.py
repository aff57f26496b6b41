"""What the notifier implementations share: their failure, and how they read their settings."""

from __future__ import annotations

import os

from django.conf import settings


class NotifyFailed(Exception):
    def __init__(self, message: str, *, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry


def setting(name: str, default: str = "") -> str:
    return str(getattr(settings, name, None) or os.environ.get(name, default))
