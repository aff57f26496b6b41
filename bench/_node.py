"""Helpers shared by the benchmarks: a private PostgreSQL server and a Saraban node process."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="saraban-bench-pg-"))
        os.chmod(self.dir, 0o755)
        self.port = free_port()
        url = subprocess.run(["bash", str(ROOT / "scripts/pg.sh"), "start", str(self.dir / "pg"), str(self.port)],
                             check=True, capture_output=True, text=True).stdout.strip()
        self.admin_url = url

    def new_database(self) -> str:
        import psycopg

        name = f"bench_{secrets.token_hex(4)}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.admin_url.rsplit("/", 1)[0] + f"/{name}"

    def stop(self) -> None:
        subprocess.run(["bash", str(ROOT / "scripts/pg.sh"), "stop", str(self.dir / "pg")], check=False)


class Node:
    def __init__(self, database_url: str | None, *, workers: int = 3, worker: bool = False) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="saraban-bench-node-"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("SARABAN_")}
        env.pop("DATABASE_URL", None)
        env["SARABAN_HOME"] = str(self.home)
        env["SARABAN_LOG_LEVEL"] = "ERROR"
        if database_url:
            env["DATABASE_URL"] = database_url
        self.env = env
        self.run("migrate", "-v0")
        self.run("loadorg")
        self.token = self.run("token", "create", "registrar").strip().splitlines()[-1]
        self.port = free_port()
        args = [sys.executable, "-m", "gunicorn", "saraban.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(workers), "--worker-class", "gthread",
                "--threads", os.environ.get("BENCH_THREADS", "4"), "--log-level", "error"]
        self.proc = subprocess.Popen(args, env=env, start_new_session=True, stdout=subprocess.DEVNULL)
        self.worker = None
        if worker:
            self.worker = subprocess.Popen([sys.executable, "-m", "saraban.cli", "worker"], env=env,
                                           start_new_session=True, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"
        for _ in range(300):
            try:
                if httpx.get(self.url + "/api/v1/openapi.json", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)

    def run(self, *args: str) -> str:
        return subprocess.run([sys.executable, "-m", "saraban.cli", *args], env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def stop(self) -> None:
        for p in (self.proc, self.worker):
            if p is not None and p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(timeout=30)
