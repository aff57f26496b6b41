"""A short-lived, per-process copy of units (with their agency): every request needs them, they rarely change.

Entries live ``TTL`` seconds; the process that changes the organisation forgets its copy at once, other
processes within the TTL.  Only descriptive unit data is cached here, never permissions.  Apps that keep
their own copies derived from units (access: the unit tree and principals) connect to :data:`forgotten`.
"""

from __future__ import annotations

import threading
import time
import uuid

from saraban.kernel.hooks import Hook

from .models import Unit

forgotten = Hook("orgs.cache.forgotten", "This process forgot its copy of the organisation (no arguments): "
                 "forget whatever was derived from it.")

TTL = 30.0
_lock = threading.Lock()
_units: dict[uuid.UUID, tuple[float, Unit]] = {}


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
    forgotten.fire()
