"""Work that runs on a clock (daily digests and the like), without cron.

Apps register jobs when they load (``AppConfig.ready``); ``saraban tick`` runs every registered job once,
and every task worker (``saraban worker``, and the one ``saraban serve`` forks) runs them every
``SARABAN_TICK_SECONDS``.  Each job decides for itself whether anything is due and must be safe to run twice at
once; on top of that, one job runs in one place at a time: a PostgreSQL advisory lock (several machines), or a
file lock beside the SQLite database (one machine).  A tick that finds a job running elsewhere skips it.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import Callable, Iterator

from django.db import connection

log = logging.getLogger(__name__)

_jobs: dict[str, Callable[[], object]] = {}


def register(name: str, job: Callable[[], object]) -> None:
    _jobs[name] = job


def jobs() -> dict[str, Callable[[], object]]:
    return dict(_jobs)


@contextlib.contextmanager
def exclusive(name: str) -> Iterator[bool]:
    """Yield whether this process holds the job's lock (never waits for it)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [f"saraban.periodic.{name}"])
            got = bool(cur.fetchone()[0])
        try:
            yield got
        finally:
            if got:
                with connection.cursor() as cur:
                    cur.execute("SELECT pg_advisory_unlock(hashtext(%s))", [f"saraban.periodic.{name}"])
        return
    from django.conf import settings

    path = settings.HOME / "run" / f"periodic-{name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def run_all() -> dict[str, str]:
    """Run each job once; one failing job does not stop the others.  Returns what each answered."""
    done: dict[str, str] = {}
    for name, job in _jobs.items():
        try:
            with exclusive(name) as mine:
                done[name] = str(job()) if mine else "skipped: running elsewhere"
        except Exception as exc:  # logged and reported; the next tick tries again
            log.exception("periodic job %s failed", name)
            done[name] = f"failed: {type(exc).__name__}: {exc}"
    return done
