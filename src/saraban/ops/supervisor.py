"""Running Saraban: a production WSGI server (gunicorn) plus the background worker, supervised together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "saraban.settings")
    return env


def server_command(host: str, port: int, workers: int, threads: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "saraban.wsgi:application",
        "--bind", f"{host}:{port}", "--workers", str(workers), "--worker-class", "gthread",
        "--threads", str(threads), "--timeout", "120", "--graceful-timeout", "20",
        "--access-logfile", "-", "--access-logformat", '%(t)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms',
        "--forwarded-allow-ips", "127.0.0.1", "--limit-request-field_size", "16380",
    ]


def worker_command() -> list[str]:
    return [sys.executable, "-m", "saraban.cli", "db_worker", "--queue-name", "*", "--interval", "0.5",
            "--no-startup-delay", "--no-reload", "-v", "1"]


def tick_command() -> list[str]:
    return [sys.executable, "-m", "saraban.cli", "tick"]


class Ticker:
    """Starts ``saraban tick`` every ``every`` seconds (never two at once), so periodic work needs no cron."""

    def __init__(self, every: float, start: Callable[[], subprocess.Popen] | None = None,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.every, self.now = every, now
        self._start = start or (lambda: subprocess.Popen(tick_command(), env=_env(), stdout=subprocess.DEVNULL))
        self._proc: subprocess.Popen | None = None
        self._next = now() + min(every, 30.0)  # the first run soon after start

    def poll(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            return
        if self.now() >= self._next:
            self._proc = self._start()
            self._next = self.now() + self.every

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()


def tick_seconds() -> float:
    return float(os.environ.get("SARABAN_TICK_SECONDS", "300"))


def smtp_command(host: str, port: int) -> list[str]:
    """The central mailbox's SMTP receiver (``saraban mail smtpd``)."""
    return [sys.executable, "-m", "saraban.cli", "mail", "smtpd", "--host", host, "--port", str(port)]


def run(host: str, port: int, *, workers: int, threads: int = 4, worker: bool = True,
        ready: Sequence[str] = (), smtp_port: int | None = None) -> int:
    """Start the server (and worker, ticker and, given a port, the SMTP receiver); stop them all on
    SIGINT/SIGTERM or when one dies."""
    procs = [subprocess.Popen(server_command(host, port, workers, threads), env=_env())]
    if smtp_port:
        procs.append(subprocess.Popen(smtp_command(host, smtp_port), env=_env()))
    ticker = Ticker(tick_seconds()) if worker and tick_seconds() > 0 else None
    if worker:
        procs.append(subprocess.Popen(worker_command(), env=_env()))
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for line in ready:
        print(line, flush=True)
    code = 0
    try:
        while not stopping:
            for p in procs:
                if p.poll() is not None:
                    print(f"saraban: process {p.args[2] if len(p.args) > 2 else p.args} exited with {p.returncode}",
                          file=sys.stderr, flush=True)
                    code = p.returncode or 1
                    stopping = True
            if ticker is not None and not stopping:
                ticker.poll()
            time.sleep(0.3)
    finally:
        if ticker is not None:
            ticker.stop()
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        deadline = time.time() + 25
        for p in procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                p.kill()
    return code
