"""Explicit extension points between apps.

An action that other apps may need to follow *fires* a hook inside its own transaction; apps *connect*
functions to it when they load (``AppConfig.ready``).  Connected functions run in the action's
transaction, so what they write commits or rolls back with it — unlike Django signals, nothing is
hidden: every hook is declared next to the action that fires it, and handlers do their writing through
the same helpers actions use (never a second audit event: the action owns the one event).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Hook:
    def __init__(self, name: str, doc: str = "") -> None:
        self.name = name
        self.__doc__ = doc
        self._handlers: list[Callable[..., None]] = []

    def connect(self, fn: Callable[..., None]) -> Callable[..., None]:
        if fn not in self._handlers:
            self._handlers.append(fn)
        return fn

    def fire(self, **kwargs: Any) -> None:
        for fn in list(self._handlers):
            fn(**kwargs)

    def __repr__(self) -> str:
        return f"<Hook {self.name} ({len(self._handlers)} handlers)>"
