"""``saraban serve`` in one process tree: this process loads and warms the application, then becomes the
gunicorn master (the arbiter); the web workers *and* the task worker are forked from it.

- Every worker starts warm (its first request is as fast as any) and the loaded code's memory is shared
  between them copy-on-write, instead of each importing WeasyPrint and pyHanko on its own.
- The port opens only after the warm-up, so "it answers" means "it answers quickly".
- The master only supervises: it respawns a web worker or the task worker that died, and on SIGTERM stops
  them all (a running task is finished first).  gunicorn's control socket is off: several servers on one
  machine would share ``~/.gunicorn/gunicorn.ctl``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from gunicorn import util
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

# the path without its query string: search words (perhaps a secret letter's) stay out of the log
ACCESS_FORMAT = '%(t)s [%(p)s] %(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'


@dataclass
class Side:
    """A child the master keeps alive beside the web workers (the task worker)."""

    name: str
    target: Callable[[], object]
    pid: int = 0
    started: float = 0.0
    failures: int = 0
    not_before: float = 0.0
    exits: list[int] = field(default_factory=list)


class SarabanArbiter(Arbiter):
    """gunicorn's arbiter, also keeping the side children alive (restarted with a back-off if they crash)."""

    def __init__(self, app: BaseApplication, sides: Sequence[Side] = ()) -> None:
        self.sides = list(sides)
        super().__init__(app)

    # -- side children -------------------------------------------------------------------------------
    def spawn_side(self, side: Side) -> None:
        pid = os.fork()
        if pid:
            side.pid, side.started = pid, time.monotonic()
            self.log.info("Started %s with pid: %s", side.name, pid)
            return
        code = 0
        try:
            for s in self.SIGNALS:
                signal.signal(s, signal.SIG_DFL)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            for listener in self.LISTENERS:
                listener.close()
            util._setproctitle(f"{side.name} [{self.proc_name}]")
            side.target()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)

    def _side_gone(self, side: Side, status: int | None) -> None:
        lived = time.monotonic() - side.started
        side.exits.append(status if status is not None else -1)
        side.pid = 0
        planned = status == 0  # the task worker ran its share of tasks (SARABAN_WORKER_MAX_TASKS): no back-off
        side.failures = 0 if lived > 60 or planned else side.failures + 1
        side.not_before = time.monotonic() + min(30.0, 0.5 * 2 ** side.failures) if side.failures else 0.0
        self.log.warning("%s exited (status %s) after %.0f s; restarting", side.name, status, lived)

    def reap_sides(self) -> None:
        for side in self.sides:
            if not side.pid:
                continue
            try:
                wpid, status = os.waitpid(side.pid, os.WNOHANG)
            except ChildProcessError:  # already reaped by gunicorn's waitpid(-1)
                self._side_gone(side, None)
                continue
            if wpid:
                self._side_gone(side, status)

    def manage_sides(self) -> None:
        self.reap_sides()
        for side in self.sides:
            if not side.pid and time.monotonic() >= side.not_before:
                self.spawn_side(side)

    def stop_sides(self, graceful: bool) -> None:
        live = [s for s in self.sides if s.pid]
        for side in live:
            with contextlib.suppress(ProcessLookupError):
                os.kill(side.pid, signal.SIGTERM)
        deadline = time.monotonic() + (self.cfg.graceful_timeout if graceful else 2)
        while live and time.monotonic() < deadline:
            live = [s for s in live if not _reaped(s.pid)]
            time.sleep(0.1)
        for side in live:
            try:
                os.kill(side.pid, signal.SIGKILL)
                os.waitpid(side.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        for side in self.sides:
            side.pid = 0

    # -- gunicorn hooks ------------------------------------------------------------------------------
    def reap_workers(self) -> None:
        self.reap_sides()  # targeted first, so gunicorn's waitpid(-1) does not swallow a side's exit status
        super().reap_workers()

    def manage_workers(self) -> None:
        super().manage_workers()
        self.manage_sides()

    def stop(self, graceful: bool = True) -> None:
        self.stop_sides(graceful)
        super().stop(graceful)


def _reaped(pid: int) -> bool:
    try:
        return os.waitpid(pid, os.WNOHANG)[0] != 0
    except ChildProcessError:
        return True


class WSGIServer(BaseApplication):
    """gunicorn with an application this process has already loaded (``preload_app``)."""

    def __init__(self, application: Any, options: dict[str, Any]) -> None:
        self.application, self.options = application, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application


def options(host: str, port: int, workers: int, threads: int, **extra: Any) -> dict[str, Any]:
    from django.conf import settings

    from .logs import gunicorn_logconfig

    logs = {"logconfig_dict": gunicorn_logconfig()} if settings.SARABAN_LOG_FORMAT == "json" else {}
    return {
        **logs, "bind": f"{host}:{port}", "workers": workers, "worker_class": "gthread", "threads": threads,
        "timeout": 120, "graceful_timeout": 20, "preload_app": True, "control_socket_disable": True,
        # an idle kept-alive connection stays open 75 s (gunicorn's default is 2 s), longer than the proxy in
        # front keeps one (nginx's upstream keepalive_timeout, 60 s): with 2 s, a request sent on a connection
        # gunicorn was just closing met a reset, and nginx does not retry a POST (bench_load: 1 call in 60)
        "keepalive": 75,
        "accesslog": "-", "access_log_format": ACCESS_FORMAT, "forwarded_allow_ips": "127.0.0.1",
        "limit_request_field_size": 16380, "proc_name": "saraban", **extra,
    }


def serve(host: str, port: int, *, workers: int, threads: int = 4, worker: bool = True,
          ready: Sequence[str] = (), warm: bool = True, smtp_port: int | None = None) -> int:
    """Warm the application, open the port and serve until SIGTERM/SIGINT; returns the exit code."""
    from django.conf import settings
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    from . import metrics
    from . import warm as warming
    from . import worker as task_worker

    metrics.use_multiprocess_dir(settings.HOME / "run" / f"metrics-{port}")  # before the middleware loads
    application = get_wsgi_application()
    if warm:
        warming.warm()
    sides = [Side("task-worker", task_worker.run)] if worker else []
    if smtp_port:  # the central mailbox's SMTP receiver (``saraban mail smtpd``), forked warm like the others
        sides.append(Side("smtp-receiver", lambda: call_command("mail", "smtpd", "--host", host,
                                                                 "--port", str(smtp_port))))

    def when_ready(arbiter: Arbiter) -> None:  # the port is open
        for line in ready:
            print(line, flush=True)

    hooks = metrics.gunicorn_hooks()
    server = WSGIServer(application, options(host, port, workers, threads, when_ready=when_ready, **hooks))
    try:
        SarabanArbiter(server, sides).run()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    return 0
