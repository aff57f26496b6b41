"""Processes the tests start (servers, workers, whole demos): each in its own process group, and the whole
group ended when the test is done, whether it passed, failed, or the run was interrupted.

- :func:`spawn` starts a command as the leader of a new process group (``start_new_session``) and
  records the group: in this process (ended at exit at the latest) and, when ``SARABAN_TEST_PROCS`` names a
  directory, as a file there, so that whatever runs the suite (``scripts/test.sh``) can end a group a
  killed test run left behind (``python -m tests.procs DIR``).
- :func:`kill_group` ends a group: SIGTERM to every member (a server stops cleanly), then, after the leader
  has exited or ``timeout`` seconds, SIGKILL to whatever is left of the group, and waits until it is empty.
- :func:`group` is the context manager every fixture that starts a process uses.
- As a pytest plugin (``tests/conftest.py`` loads it): SIGTERM to pytest becomes a KeyboardInterrupt, so
  pytest tears its fixtures down as on Ctrl-C; every group still alive is ended when pytest finishes.
- The leader also gets SIGTERM if the test process itself dies (``PR_SET_PDEATHSIG``), e.g. an xdist worker
  killed with SIGKILL: a server stops itself and its children then.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REGISTRY_ENV = "SARABAN_TEST_PROCS"
PR_SET_PDEATHSIG = 1

_live: dict[int, subprocess.Popen] = {}
_owner = os.getpid()  # a forked copy of this process (multiprocessing) ends nothing at its exit
try:
    _libc: Any = ctypes.CDLL(None, use_errno=True)
except OSError:  # pragma: no cover - not Linux
    _libc = None


def _die_with_parent() -> None:  # runs in the child between fork and exec
    if _libc is not None:
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _registry() -> Path | None:
    value = os.environ.get(REGISTRY_ENV)
    return Path(value) if value else None


def spawn(args: Sequence[str], **kwargs: Any) -> subprocess.Popen:
    """``subprocess.Popen(args, **kwargs)`` as the leader of a new process group, recorded for clean-up."""
    kwargs.pop("start_new_session", None)
    main = threading.current_thread() is threading.main_thread()  # PDEATHSIG follows the thread that forked
    proc = subprocess.Popen(list(args), start_new_session=True, preexec_fn=_die_with_parent if main else None,
                            **kwargs)
    global _owner
    if not _live:
        _owner = os.getpid()
    _live[proc.pid] = proc
    reg = _registry()
    if reg is not None:
        with contextlib.suppress(OSError):
            reg.mkdir(parents=True, exist_ok=True)
            (reg / str(proc.pid)).write_text(" ".join(map(str, args))[:500])
    return proc


def members(pgid: int) -> list[int]:
    """The processes of the group ``pgid`` still alive (not zombies)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            rest = stat.read_text().rsplit(")", 1)[1].split()
            if int(rest[2]) == pgid and rest[0] != "Z":
                out.append(int(stat.parent.name))
    return sorted(out)


def kill_group(proc: subprocess.Popen | int, *, timeout: float = 30.0, sig: int = signal.SIGTERM) -> None:
    """End the whole process group led by ``proc``: ``sig`` (SIGTERM: a clean stop) to every member, then
    SIGKILL to what is left once the leader exited or after ``timeout`` s; returns when the group is empty."""
    pgid = proc if isinstance(proc, int) else proc.pid
    popen = _live.get(pgid) if isinstance(proc, int) else proc
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)
    if popen is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            popen.wait(timeout=timeout)
    else:
        deadline = time.monotonic() + timeout
        while members(pgid) and time.monotonic() < deadline:
            time.sleep(0.05)
    deadline = time.monotonic() + 10
    while True:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
        if popen is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                popen.wait(timeout=1)
        if not members(pgid) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    _forget(pgid)


def _forget(pgid: int) -> None:
    _live.pop(pgid, None)
    reg = _registry()
    if reg is not None:
        (reg / str(pgid)).unlink(missing_ok=True)


@contextlib.contextmanager
def group(args: Sequence[str], *, timeout: float = 30.0, **kwargs: Any) -> Iterator[subprocess.Popen]:
    """Start ``args`` in its own process group; end the whole group on leaving, however the block ends."""
    proc = spawn(args, **kwargs)
    try:
        yield proc
    finally:
        kill_group(proc, timeout=timeout)


def kill_all(timeout: float = 10.0) -> None:
    """End every group this process started and has not ended yet."""
    if os.getpid() != _owner:
        return
    for pgid in list(_live):
        kill_group(pgid, timeout=timeout)


def kill_recorded(directory: Path) -> list[int]:
    """End every group recorded in ``directory`` (groups a killed test run left); returns their ids."""
    ended = []
    if not directory.is_dir():
        return ended
    for entry in directory.iterdir():
        if entry.name.isdigit():
            pgid = int(entry.name)
            if members(pgid):
                kill_group(pgid, timeout=5)
                ended.append(pgid)
            entry.unlink(missing_ok=True)
    return ended


atexit.register(kill_all)


# ---- the pytest plugin ---------------------------------------------------------------------------------

def _sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt("SIGTERM")


def pytest_configure(config: Any) -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _sigterm)


def pytest_unconfigure(config: Any) -> None:
    kill_all()


if __name__ == "__main__":  # python -m tests.procs DIR: what scripts/test.sh runs at its end
    for d in sys.argv[1:]:
        for pgid in kill_recorded(Path(d)):
            print(f"ended a process group a test left behind: {pgid}", file=sys.stderr)
