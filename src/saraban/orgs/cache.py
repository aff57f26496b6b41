"""A short-lived, per-process copy of units (with their agency): every request needs them, they rarely change.

Entries live ``TTL`` seconds; the process that changes the organisation forgets its copy at once, other
processes within the TTL.  Only descriptive unit data is cached here, never permissions; apps above that
keep their own copies of the organisation (access: the unit tree and principals) ask to be told
(:func:`on_forget`).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable

from .models import Unit

TTL = 30.0
_lock = threading.Lock()
_units: dict[uuid.UUID, tuple[float, Unit]] = {}
_listeners: list[Callable[[], None]] = []


def on_forget(callback: Callable[[], None]) -> None:
    """Call ``callback`` whenever the organisation changed in this process (registered in ``ready``)."""
    if callback not in _listeners:
        _listeners.append(callback)


def unit(pk: uuid.UUID) -> Unit:
    now = time.monotonic()
    with _lock:
        hit = _units.get(pk)
        if hit is not None and now - hit[0] < TTL:
            return hit[1]
    obj = Unit.objects.select_related("agency", "parent").get(pk=pk)
    with _lock:
        _units[pk] = (now, obj)
    return obj


def forget() -> None:
    with _lock:
        _units.clear()
    for callback in list(_listeners):
        callback()
