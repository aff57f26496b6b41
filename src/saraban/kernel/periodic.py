"""Work that runs on a clock (daily digests and the like), without cron.

Apps register jobs when they load (``AppConfig.ready``); ``saraban tick`` runs every registered job once,
and ``saraban serve`` starts ``saraban tick`` every few minutes beside its worker.  Each job decides for itself
whether anything is due and must be safe to run twice at once (several machines may tick).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

_jobs: dict[str, Callable[[], object]] = {}


def register(name: str, job: Callable[[], object]) -> None:
    _jobs[name] = job


def jobs() -> dict[str, Callable[[], object]]:
    return dict(_jobs)


def run_all() -> dict[str, str]:
    """Run each job once; one failing job does not stop the others.  Returns what each answered."""
    done: dict[str, str] = {}
    for name, job in _jobs.items():
        try:
            done[name] = str(job())
        except Exception as exc:  # logged and reported; the next tick tries again
            log.exception("periodic job %s failed", name)
            done[name] = f"failed: {type(exc).__name__}: {exc}"
    return done
