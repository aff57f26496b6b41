"""Is the exchange process's outbox loop running?  Then new messages need no task-queue wake-up.

The loop touches ``$SARABAN_HOME/exchange/sender.alive`` every second.  Without it (a deployment running
only ``saraban serve``), every new outbox row also enqueues a delivery task.  Either way the rows are the
durable record: a sender that starts later finds them.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.conf import settings

FRESH_SECONDS = 5.0


def path() -> Path:
    return Path(settings.HOME) / "exchange" / "sender.alive"


def beat() -> None:
    p = path()
    try:
        os.utime(p)
    except FileNotFoundError:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.touch()


def stop() -> None:
    path().unlink(missing_ok=True)


def sender_alive() -> bool:
    try:
        return time.time() - path().stat().st_mtime < FRESH_SECONDS
    except FileNotFoundError:
        return False
