"""Several Saraban processes on one database, as a ministry deployment runs them: N web servers
(``saraban serve --no-worker``) and M task workers (``saraban worker``), each its own process group, sharing
one data directory (the blob store) and one PostgreSQL database.  Used by the live test of several processes
and by the load test (bench/locust_ministry.py)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg

from tests import procs
from tests.live.conftest import free_port


@dataclass
class Proc:
    name: str
    args: list[str]
    log: Path
    popen: subprocess.Popen | None = None
    port: int = 0
    starts: int = 0


@dataclass
class Cluster:
    home: Path
    database_url: str
    env: dict[str, str] = field(default_factory=dict)
    procs: dict[str, Proc] = field(default_factory=dict)

    @classmethod
    def create(cls, home: Path, database_url: str, *, extra_env: dict[str, str] | None = None) -> Cluster:
        home.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SARABAN_") and k != "DJANGO_SETTINGS_MODULE"}
        env |= {"SARABAN_HOME": str(home), "DATABASE_URL": database_url, "SARABAN_FAST_PASSWORDS": "1",
                "SARABAN_LOG_LEVEL": "WARNING", **(extra_env or {})}
        c = cls(home=home, database_url=database_url, env=env)
        c.saraban("demo", "--setup-only", timeout=600)  # migrations, the demo ministry, TEST PKI, SBX in-process
        return c

    def saraban(self, *args: str, timeout: float = 300) -> str:
        out = subprocess.run([sys.executable, "-m", "saraban.cli", *args], env=self.env, capture_output=True,
                             text=True, timeout=timeout)
        assert out.returncode == 0, out.stderr + out.stdout
        return out.stdout

    def token(self, username: str) -> str:
        return self.saraban("token", "create", username).strip().splitlines()[-1]

    def add_web(self, name: str, *, workers: int = 1, threads: int = 4) -> Proc:
        port = free_port()
        args = [sys.executable, "-m", "saraban.cli", "serve", "--port", str(port), "--workers", str(workers),
                "--threads", str(threads), "--no-worker", "--no-migrate"]
        self.procs[name] = Proc(name, args, self.home / f"{name}.log", port=port)
        return self.procs[name]

    def add_worker(self, name: str) -> Proc:
        self.procs[name] = Proc(name, [sys.executable, "-m", "saraban.cli", "worker"], self.home / f"{name}.log")
        return self.procs[name]

    def start(self, name: str) -> None:
        p = self.procs[name]
        log = open(p.log, "ab")  # noqa: SIM115 - the child keeps it
        p.popen = procs.spawn(p.args, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        p.starts += 1

    def start_all(self, timeout: float = 120) -> None:
        for name in self.procs:
            self.start(name)
        for p in self.procs.values():
            if p.port:
                self.wait_ready(p, timeout)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.procs[name].port}"

    def wait_ready(self, p: Proc, timeout: float = 120) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{p.port}/readyz", timeout=5).status_code == 200:
                    return
            if p.popen is not None and p.popen.poll() is not None:
                raise RuntimeError(f"{p.name} exited:\n{p.log.read_text()[-4000:]}")
            time.sleep(0.1)
        raise RuntimeError(f"{p.name} not ready:\n{p.log.read_text()[-4000:]}")

    def pids(self, name: str) -> list[int]:
        """The processes of one member (its whole process group)."""
        p = self.procs[name]
        assert p.popen is not None
        out = []
        for d in Path("/proc").iterdir():
            if d.name.isdigit():
                with contextlib.suppress(OSError, IndexError):
                    if int((d / "stat").read_text().rsplit(")", 1)[1].split()[2]) == p.popen.pid:
                        out.append(int(d.name))
        return sorted(out)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kill a member's whole process group at once (a crash or an OOM kill, not a clean stop)."""
        p = self.procs[name]
        assert p.popen is not None
        procs.kill_group(p.popen, sig=sig)

    def stop(self, name: str) -> None:
        p = self.procs[name]
        if p.popen is None:
            return
        procs.kill_group(p.popen)

    def stop_all(self) -> None:
        for name in self.procs:
            self.stop(name)

    def query(self, sql: str, *params: object) -> list[tuple]:
        with psycopg.connect(self.database_url) as conn:
            return conn.execute(sql, params).fetchall()


def new_database(base_url: str, name: str) -> str:
    admin = base_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return base_url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(base_url: str, name: str) -> None:
    admin = base_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def invariants(c: Cluster) -> dict[str, object]:
    """What must hold after any burst, kills included: read straight from the database.

    - ``number_problems``: register books whose numbers are not exactly 1..last_number (a gap or a duplicate);
    - ``tasks``: task results by state; ``ran_twice``: tasks claimed by more than one worker, and
      ``requeued``: how many of those the lost-worker recovery put back (every extra claim must be one);
    - ``outbox``: SBX outbox rows by state; ``inbound_dupes``: a message received twice; ``intake_dupes``:
      one message handed over twice; ``stamp_dupes``: a registration stamped twice.
    """
    numbers = c.query("""
        SELECT b.id, b.last_number, count(e.id), count(DISTINCT e.number), coalesce(min(e.number), 0),
               coalesce(max(e.number), 0)
        FROM registry_registerbook b LEFT JOIN registry_registerentry e ON e.book_id = b.id
        GROUP BY b.id, b.last_number""")
    bad = [r for r in numbers if not (r[2] == r[3] == r[1] == r[5] and r[4] == (1 if r[1] else 0))]
    tasks = dict(c.query("SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status"))
    twice = c.query("SELECT count(*), coalesce(sum(jsonb_array_length(worker_ids) - 1), 0) "
                    "FROM django_tasks_database_dbtaskresult WHERE jsonb_array_length(worker_ids) > 1")[0]
    requeued = c.query("SELECT coalesce(sum((data->>'requeued')::int), 0) FROM audit_auditevent "
                       "WHERE action = 'ops.requeue_lost'")[0][0]
    outbox = dict(c.query("SELECT status, count(*) FROM exchange_outboxmessage GROUP BY status"))
    inbound_dupes = c.query("SELECT count(*) FROM (SELECT message_id, recipient_code FROM exchange_inboundmessage "
                            "GROUP BY 1, 2 HAVING count(*) > 1) d")[0][0]
    intake_dupes = c.query("SELECT count(*) FROM (SELECT intake_item_id FROM exchange_inboundmessage "
                           "WHERE intake_item_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1) d")[0][0]
    stamp_dupes = c.query("SELECT count(*) FROM (SELECT derived_from_id, note FROM letters_letterfile "
                          "WHERE role = 'presentation' GROUP BY 1, 2 HAVING count(*) > 1) d")[0][0]
    if stamp_dupes:  # what made them: the copies and every task run that names their source file
        stamp_detail = c.query("""
            SELECT f.derived_from_id::text, f.created_at::text, t.id::text, t.task_path, t.status, t.worker_ids,
                   t.enqueued_at::text, t.started_at::text, t.finished_at::text
            FROM letters_letterfile f LEFT JOIN django_tasks_database_dbtaskresult t
              ON t.args_kwargs::text LIKE '%%' || f.derived_from_id::text || '%%'
            WHERE f.role = 'presentation' AND (f.derived_from_id, f.note) IN (
              SELECT derived_from_id, note FROM letters_letterfile WHERE role = 'presentation'
              GROUP BY 1, 2 HAVING count(*) > 1)""")
        print("stamp duplicates:", *stamp_detail, sep="\n  ")
    return {"books": len(numbers), "entries": sum(r[2] for r in numbers), "number_problems": bad,
            "tasks": tasks, "ran_twice": int(twice[0]), "extra_claims": int(twice[1]), "requeued": int(requeued),
            "outbox": outbox, "inbound_dupes": inbound_dupes, "intake_dupes": intake_dupes,
            "stamp_dupes": stamp_dupes}


def wait_drained(c: Cluster, timeout: float = 300) -> dict[str, object]:
    """Until no task is ready or running and no outbox message waits (or the time is up); the invariants."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        busy = c.query("SELECT count(*) FROM django_tasks_database_dbtaskresult "
                       "WHERE status IN ('READY', 'RUNNING')")[0][0]
        waiting = c.query("SELECT count(*) FROM exchange_outboxmessage WHERE status = 'pending'")[0][0]
        if not busy and not waiting:
            break
        time.sleep(1)
    return invariants(c)
