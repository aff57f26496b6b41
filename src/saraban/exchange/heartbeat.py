"""Is the exchange process's outbox loop running?  Then new messages need no task-queue wake-up.

The loop holds a shared lock (``flock``) on ``$SARABAN_HOME/exchange/sender.lock`` for as long as it runs
(several loops may); the kernel drops it the moment the process ends, however it ends.  :func:`sender_alive`
asks for an exclusive lock without waiting: refused means a loop is running.  (It used to touch a file every
second, which cost an idle process a wake-up a second.)  Without a loop (a deployment running only ``saraban
serve``), every new outbox row also enqueues a delivery task.  Either way the rows are the durable record: a sender that
starts later finds them.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from django.conf import settings

_held: dict[str, int] = {}


def path() -> Path:
    return Path(settings.HOME) / "exchange" / "sender.lock"


def hold() -> None:
    """Mark this process's loop as running (until :func:`stop` or the process's end)."""
    p = path()
    p.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(p, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_SH)
    _held[str(p)] = fd


def stop() -> None:
    fd = _held.pop(str(path()), None)
    if fd is not None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def sender_alive() -> bool:
    try:
        fd = os.open(path(), os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # also drops the lock if we got it
    return False
