"""Action functions: the only code that changes state.

``@action("letter.register_incoming")`` runs the function in one database transaction and insists that
it wrote exactly one audit event.  Work that cannot roll back with the database (files written to the
blob store) registers an undo with :func:`on_rollback`; the outermost :func:`atomic` runs the undos if
the transaction fails, so a failed action leaves no orphan file.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

from django.db import transaction

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class _Undo:
    callbacks: list[Callable[[], None]] = field(default_factory=list)


@dataclass
class _ActionFrame:
    name: str
    audited: list[str] = field(default_factory=list)


_undo: contextvars.ContextVar[_Undo | None] = contextvars.ContextVar("saraban_undo", default=None)
_frame: contextvars.ContextVar[_ActionFrame | None] = contextvars.ContextVar("saraban_action", default=None)


def on_rollback(callback: Callable[[], None]) -> None:
    """Run ``callback`` if the enclosing :func:`atomic` block fails (best effort, after rollback)."""
    undo = _undo.get()
    if undo is not None:
        undo.callbacks.append(callback)


@contextlib.contextmanager
def atomic() -> Iterator[None]:
    """``transaction.atomic()`` that also runs the rollback undos when it is the outermost block."""
    outer = _undo.get() is None
    token = _undo.set(_Undo()) if outer else None
    try:
        with transaction.atomic():
            yield
    except BaseException:
        if outer:
            undo = _undo.get()
            for cb in reversed(undo.callbacks if undo else []):
                try:
                    cb()
                except Exception:  # pragma: no cover - best effort; the sweeper catches what is left
                    log.exception("rollback undo failed")
        raise
    finally:
        if token is not None:
            _undo.reset(token)


def mark_audited(event_action: str) -> None:
    frame = _frame.get()
    if frame is not None:
        frame.audited.append(event_action)


def action(name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a state-changing function: one transaction, exactly one audit event."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if _frame.get() is not None:
                raise RuntimeError(f"action {name} called from inside action {_frame.get().name}")  # type: ignore[union-attr]
            frame = _ActionFrame(name)
            token = _frame.set(frame)
            try:
                with atomic():
                    result = fn(*args, **kwargs)
                    if len(frame.audited) != 1:
                        raise RuntimeError(f"action {name} wrote {len(frame.audited)} audit events, not one")
                return result
            finally:
                _frame.reset(token)

        wrapper.action_name = name  # type: ignore[attr-defined]
        return wrapper

    return decorate
