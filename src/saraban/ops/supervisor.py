"""Running Saraban: ``saraban serve`` and ``saraban demo`` hand over to :func:`run`.

There is no separate supervisor process any more: the process that set things up loads and warms the
application and becomes the gunicorn master, which keeps the web workers and the task worker (forked from
it, sharing its memory) alive.  See :mod:`saraban.ops.server`.
"""

from __future__ import annotations

from collections.abc import Sequence


def run(host: str, port: int, *, workers: int, threads: int = 4, worker: bool = True,
        ready: Sequence[str] = (), smtp_port: int | None = None) -> int:
    """Serve until SIGTERM/SIGINT (with the central mailbox's SMTP receiver, given a port); returns the exit
    code."""
    from .server import serve

    return serve(host, port, workers=workers, threads=threads, worker=worker, ready=ready, smtp_port=smtp_port)
