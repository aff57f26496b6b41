"""Loading the directory from the configured source, and keeping the cached copy fresh."""

from __future__ import annotations

import datetime as dt

from saraban.kernel import clock
from saraban.kernel.actor import Actor

from . import actions, directory
from . import node as node_mod
from .models import DirectoryVersion


def load_from(source: str, signature: str = "", *, actor: Actor = None) -> DirectoryVersion:
    node = node_mod.load()
    fetched = directory.fetch(source, signature, node=node)
    doc = directory.verify(fetched, node)
    return actions.load_directory(actor, fetched, doc)


def refresh(*, actor: Actor = None) -> str:
    node = node_mod.load()
    if not node.directory_source:
        return "no-source"
    v = load_from(node.directory_source, node.directory_signature, actor=actor)
    return f"serial {v.serial}"


def due_in() -> float | None:
    """Seconds until the cached copy goes stale (0: it is; None: no directory is configured)."""
    if not node_mod.configured():
        return None
    v = directory.current()
    if v is None:
        return 0.0
    due = min(v.expires_at, v.loaded_at + dt.timedelta(seconds=node_mod.load().directory_refresh))
    return max(0.0, (due - clock.now()).total_seconds())


def stale() -> bool:
    """The cached copy is older than the refresh interval (or missing, or expired)."""
    if not node_mod.configured():
        return False
    v = directory.current()
    if v is None or v.expires_at <= clock.now():
        return True
    return v.loaded_at + dt.timedelta(seconds=node_mod.load().directory_refresh) <= clock.now()
