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
C = TypeVar("C", bound=Callable[[], None])


@dataclass
class _Undo:
    callbacks: list[Callable[[], None]] = field(default_factory=list)


@dataclass
class _ActionFrame:
    name: str
    audited: list[str] = field(default_factory=list)
    finishing: dict[str, Callable[[], None]] = field(default_factory=dict)


_undo: contextvars.ContextVar[_Undo | None] = contextvars.ContextVar("saraban_undo", default=None)
_frame: contextvars.ContextVar[_ActionFrame | None] = contextvars.ContextVar("saraban_action", default=None)


def on_rollback(callback: Callable[[], None]) -> None:
    """Run ``callback`` if the enclosing :func:`undo_scope` (or :func:`atomic`) fails (best effort)."""
    undo = _undo.get()
    if undo is not None:
        undo.callbacks.append(callback)


@contextlib.contextmanager
def undo_scope() -> Iterator[None]:
    """Collect undos for work that cannot roll back with the database (files written to the blob store).

    If the block fails, the undos registered inside it run (newest first).  If it succeeds, they pass to
    the enclosing scope, so a later failure there still undoes them.
    """
    parent = _undo.get()
    mine = _Undo()
    token = _undo.set(mine)
    try:
        yield
    except BaseException:
        _undo.reset(token)
        token = None
        for cb in reversed(mine.callbacks):
            try:
                cb()
            except Exception:  # pragma: no cover - best effort; `saraban storage sweep` catches what is left
                log.exception("rollback undo failed")
        raise
    finally:
        if token is not None:
            _undo.reset(token)
    if parent is not None:
        parent.callbacks.extend(mine.callbacks)


@contextlib.contextmanager
def atomic() -> Iterator[None]:
    """``transaction.atomic()`` whose failure also runs the undos registered inside it."""
    with undo_scope(), transaction.atomic():
        yield


def in_action() -> bool:
    """True while an action function runs (its transaction may still roll back)."""
    return _frame.get() is not None


def mark_audited(event_action: str) -> None:
    frame = _frame.get()
    if frame is not None:
        frame.audited.append(event_action)


def before_commit(key: str, callback: C) -> C | None:
    """Run ``callback`` once at the end of the current action, still inside its transaction.

    Derived data that must commit or roll back with the action (the search index) is brought up to date
    here, after the action wrote everything it writes.  One callback per ``key``: returns the one
    registered under ``key`` (an earlier one wins, so it can collect work), or ``None`` when no action is
    running (the caller decides what to do then).
    """
    frame = _frame.get()
    if frame is None:
        return None
    return frame.finishing.setdefault(key, callback)  # type: ignore[return-value]


def _finish(frame: _ActionFrame) -> None:
    done: set[str] = set()
    while len(done) < len(frame.finishing):  # a callback may register another
        for key, callback in list(frame.finishing.items()):
            if key not in done:
                done.add(key)
                callback()


def action(name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a state-changing function: one transaction, exactly one audit event."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if _frame.get() is not None:
                raise RuntimeError(f"action {name} called from inside action {_frame.get().name}")  # type: ignore[union-attr]
            frame = _ActionFrame(name)
            with atomic():
                token = _frame.set(frame)
                try:
                    result = fn(*args, **kwargs)
                    _finish(frame)
                    if len(frame.audited) != 1:
                        raise RuntimeError(f"action {name} wrote {len(frame.audited)} audit events, not one")
                finally:
                    # left before the commit, so work run on commit (immediate tasks) may call actions
                    _frame.reset(token)
            log.debug("action %s committed (audit %s)", name, frame.audited[0])  # names only, never content
            return result

        wrapper.action_name = name  # type: ignore[attr-defined]
        return wrapper

    return decorate
