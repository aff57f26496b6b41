"""Work that follows committed changes: a job that runs whenever its wake-up channel is poked.

Apps register followers when they load (``AppConfig.ready``), naming a :mod:`~saraban.kernel.wakeup` channel;
whoever commits work for one pokes that channel.  Every task worker (``saraban worker``, and the one
``saraban serve`` forks) runs each follower in a thread of its own: once when it starts, after every poke,
and at least every ``SARABAN_WORKER_IDLE_SECONDS``, so a lost poke (or a crash before it) costs latency only.
A poke that comes while the job runs makes it run again at once, so one run picks up everything committed
before it: under load the work is done in batches.  A job must be safe to run in several workers at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Follower:
    name: str
    channel: str
    job: Callable[[], object]


_followers: dict[str, Follower] = {}


def register(name: str, channel: str, job: Callable[[], object]) -> None:
    _followers[name] = Follower(name, channel, job)


def followers() -> list[Follower]:
    return list(_followers.values())
