"""The task worker process: django-tasks-db's database worker, plus a heartbeat, the periodic jobs and the
followers (:mod:`saraban.kernel.followers`: the search index's catch-up).

``saraban worker`` runs it alone (one systemd unit per worker); ``saraban serve`` forks it from the warmed
web master.  Several workers on one database never run one task twice: django-tasks-db claims each task
row under ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL) or an exclusive transaction (SQLite).  A worker
that dies mid-task (killed, machine lost) stops beating; :func:`saraban.ops.recovery.requeue_lost` then puts
its task back in the queue, and every task is written to be safe to run again.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable

from django.db import close_old_connections, connections
from django.utils import timezone

from saraban.kernel import clock, followers, periodic, wakeup

log = logging.getLogger(__name__)

BEAT_SECONDS = 5.0


def worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}"[:64]


def tick_seconds() -> float:
    return float(os.environ.get("SARABAN_TICK_SECONDS", "300"))


def max_tasks() -> int | None:
    """Tasks a worker process runs before it is replaced by a fresh one (the PDF stack's memory grows with the
    stamps it draws: measured 130 → 385 MB PSS over ~1,200 stamps); 0: never."""
    n = int(os.environ.get("SARABAN_WORKER_MAX_TASKS", "500"))
    return n if n > 0 else None


def beat(wid: str, *, stopped: bool = False) -> None:
    from .models import WorkerBeat

    now = clock.now()
    updated = WorkerBeat.objects.filter(worker_id=wid).update(seen_at=now, stopped=stopped)
    if not updated:
        WorkerBeat.objects.update_or_create(
            worker_id=wid, defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "started_at": now,
                                     "seen_at": now, "stopped": stopped})


class Loop(threading.Thread):
    """Run ``fn`` every ``every`` seconds (the first time after ``first``) until stopped; never two at once."""

    def __init__(self, name: str, fn: Callable[[], object], every: float, first: float) -> None:
        super().__init__(name=name, daemon=True)
        self.fn, self.every, self.first = fn, every, first
        self.stopping = threading.Event()

    def run(self) -> None:
        wait = self.first
        while not self.stopping.wait(wait):
            try:
                self.fn()
            except Exception:  # logged; the next round tries again
                log.exception("%s failed", self.name)
            finally:
                close_old_connections()
            wait = self.every
        connections.close_all()  # this thread's own connection


class FollowLoop(threading.Thread):
    """Run a follower's job (:mod:`saraban.kernel.followers`) at start, after each poke of its channel, and at
    least every :func:`idle_seconds`, until stopped."""

    def __init__(self, follower: followers.Follower) -> None:
        super().__init__(name=f"follow-{follower.name}", daemon=True)
        self.follower = follower
        self.stopping = threading.Event()
        self.waiter: wakeup.Waiter | None = None
        self.listening = threading.Event()

    def run(self) -> None:
        self.waiter = wakeup.Waiter([self.follower.channel])  # listening before the first look
        self.listening.set()
        try:
            while not self.stopping.is_set():
                try:
                    self.follower.job()
                except Exception:  # logged; the next poke (or the timeout) tries again
                    log.exception("%s failed", self.name)
                finally:
                    close_old_connections()
                self.waiter.wait(idle_seconds())
        finally:
            self.waiter.close()
            connections.close_all()  # this thread's own connection

    def stop(self) -> None:
        self.stopping.set()
        if self.listening.is_set() and self.waiter is not None:
            self.waiter.wake()


def run_periodic() -> None:
    for name, answer in periodic.run_all().items():
        log.info("periodic %s: %s", name, answer)


def idle_seconds() -> float:
    """The longest an idle worker sleeps without a wake-up (a lost one costs at most this much latency)."""
    return float(os.environ.get("SARABAN_WORKER_IDLE_SECONDS", "60"))


def next_due_in(now: dt.datetime | None = None) -> float | None:
    """Seconds until the earliest task that waits for its ``run_after`` (a retry) is due; None: none waits."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = now or timezone.now()
    first = (DBTaskResult.objects.filter(status="READY", run_after__gt=now).exclude(run_after=get_date_max())
             .order_by("run_after").values_list("run_after", flat=True).first())
    return None if first is None else max(0.0, (first - now).total_seconds())


class _Quiet(logging.Filter):
    """django-tasks-db's worker logs its start and end: here that is every wake-up, not worth a line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(("Starting worker", "No more tasks to run"))


def run(*, interval: float = 0.5, ticks: bool = True, follow: bool = True) -> None:
    """Serve the task queue until SIGTERM/SIGINT (a running task is finished first: then SystemExit), or
    return after :func:`max_tasks` tasks, for the caller to replace this process with a fresh one.

    Idle, the worker sleeps: it runs every ready task (django-tasks-db's worker in batch mode), then waits
    for a wake-up (:mod:`saraban.kernel.wakeup`: an enqueue anywhere pokes it) or for the earliest delayed
    task to fall due, at most :func:`idle_seconds`.  ``interval`` is only the pause after a locked database.
    ``ticks`` runs the periodic jobs, ``follow`` the followers (each in a thread of its own)."""
    from django_tasks_db.management.commands.db_worker import Worker

    wid = worker_id()
    beat(wid)  # seen alive before it claims anything; then from its own thread
    loops = [Loop("heartbeat", lambda: beat(wid), BEAT_SECONDS, BEAT_SECONDS)]
    every = tick_seconds()
    if ticks and every > 0:
        loops.append(Loop("ticker", run_periodic, every, min(every, 30.0)))
    follows = [FollowLoop(f) for f in followers.followers()] if follow else []
    for loop in [*loops, *follows]:
        loop.start()
    logging.getLogger("django_tasks_db").addFilter(_Quiet())
    limit = max_tasks()
    worker = Worker(queue_names=["*"], interval=interval, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=limit, worker_id=wid, excluded_queue_names=[])
    waiter = wakeup.Waiter([wakeup.TASKS])  # listening before the first look: no enqueue falls in between
    worker.configure_signals()
    try:
        while worker.running:
            worker.run()  # every ready task, then back here
            if limit is not None and worker._run_tasks >= limit:
                return
            close_old_connections()
            due = next_due_in()
            close_old_connections()
            waiter.wait(idle_seconds() if due is None else min(due + 0.01, idle_seconds()))
    finally:
        waiter.close()
        for loop in loops:
            loop.stopping.set()
        for follower in follows:
            follower.stop()
        try:
            beat(wid, stopped=True)
        except Exception:  # the database may be what stopped us
            log.warning("could not record the worker's stop", exc_info=True)
