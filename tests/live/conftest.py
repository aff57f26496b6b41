"""A real Saraban node for black-box tests: its own data directory and database, gunicorn + worker."""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from tests import procs


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Node:
    url: str
    home: Path
    env: dict[str, str]
    proc: subprocess.Popen

    def saraban(self, *args: str) -> str:
        out = subprocess.run([sys.executable, "-m", "saraban.cli", *args], env=self.env, capture_output=True,
                             text=True, timeout=120)
        assert out.returncode == 0, out.stderr + out.stdout
        return out.stdout

    def errors(self) -> str:
        """What the server logged from its first error on (a traceback says why a request answered 500)."""
        log = (self.home / "server.log").read_text(errors="replace")
        at = min((i for i in (log.find(" ERROR "), log.find("Traceback")) if i >= 0), default=len(log))
        return log[at:][-6000:]

    def token(self, username: str) -> str:
        """An API token of ``username``: one made with the template (:data:`TEMPLATE_TOKENS`), else a new one."""
        made = _template_tokens.get(os.environ.get("DATABASE_URL", ""), {})
        if username in made and self.home.joinpath(".from-template").exists():
            return made[username]
        return self.saraban("token", "create", username).strip().splitlines()[-1]


def node_env(home: Path, *, template: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SARABAN_") and k != "DJANGO_SETTINGS_MODULE"}
    env["SARABAN_HOME"] = str(home)
    env["SARABAN_FAST_PASSWORDS"] = "1"
    env.pop("DATABASE_URL", None)
    base = os.environ.get("DATABASE_URL")
    if base:  # the PostgreSQL pass: a fresh database for this node (a copy of ``template``, given one)
        name = f"saraban_live_{secrets.token_hex(4)}"
        admin = base.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        env["DATABASE_URL"] = base.rsplit("/", 1)[0] + f"/{name}"
    return env


_prepared: dict[str, tuple[Path, str | None]] = {}
TEMPLATE_TOKENS = ("registrar", "secretary", "permsec", "officer", "tmd-director", "tmd-registrar")
"""The people whose API tokens the template makes once, in one command: every node copied from it accepts them
(a ``saraban token create`` per test cost a process start, 2 s of CPU, each time).  The template loads the
demo organisation and makes them in one ``saraban shell``."""
_template_tokens: dict[str, dict[str, str]] = {}
_ORG_AND_TOKENS = """
from django.contrib.auth import get_user_model
from django.core.management import call_command
from saraban.api.actions import create_token
call_command("loadorg", stdout=open("/dev/null", "w"))
for name in {names!r}:
    print("token:", name, create_token(get_user_model().objects.get(username=name), name="tests")[1])
"""


def prepared_node() -> tuple[Path, str | None]:
    """A data directory, migrated with the demo organisation loaded (and on PostgreSQL its database), made
    once per test process; every node starts from a copy of it instead of migrating afresh (two ``saraban``
    commands, ~15 s of CPU, saved per node)."""
    key = os.environ.get("DATABASE_URL", "")
    if key not in _prepared:
        home = Path(tempfile.mkdtemp(prefix="saraban-node-template-"))
        atexit.register(shutil.rmtree, home, True)
        env = node_env(home)
        subprocess.run([sys.executable, "-m", "saraban.cli", "migrate", "-v0"], env=env, check=True,
                       timeout=600)  # without the system checks, as every command but check/serve/demo
        out = subprocess.run([sys.executable, "-m", "saraban.cli", "shell", "-c",
                              _ORG_AND_TOKENS.format(names=TEMPLATE_TOKENS)], env=env, check=True, timeout=300,
                             capture_output=True, text=True).stdout
        _template_tokens[key] = {line.split()[1]: line.split()[2] for line in out.splitlines()
                                 if line.startswith("token: ")}
        (home / ".from-template").touch()  # copied into every node made from it
        _prepared[key] = (home, env["DATABASE_URL"].rsplit("/", 1)[1] if "DATABASE_URL" in env else None)
    return _prepared[key]


def start_node(tmp: Path, *, workers: int = 3, worker: bool = True, extra_env: dict[str, str] | None = None) -> Node:
    """A node serving (``saraban serve`` in its own process group), once it answers its ``/readyz``."""
    return await_node(launch_node(tmp, workers=workers, worker=worker, extra_env=extra_env))


def launch_node(tmp: Path, *, workers: int = 3, worker: bool = True, extra_env: dict[str, str] | None = None
                ) -> Node:
    """Start a node without waiting for it (several start side by side); then :func:`await_node`."""
    home = tmp / f"node-{secrets.token_hex(3)}"
    template_home, template_db = prepared_node()
    shutil.copytree(template_home, home)  # the database (SQLite), the keys its audit chain was sealed with
    env = node_env(home, template=template_db) | (extra_env or {})
    port = free_port()
    args = [sys.executable, "-m", "saraban.cli", "serve", "--port", str(port), "--workers", str(workers),
            "--no-migrate"]
    if not worker:
        args.append("--no-worker")
    log = open(home / "server.log", "wb")  # noqa: SIM115 - closed with the process
    proc = procs.spawn(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    return Node(url=url, home=home, env=env, proc=proc)


def await_node(node: Node) -> Node:
    try:
        wait_ready(node.url, node.proc, node.home / "server.log")
    except BaseException:
        stop_node(node)  # never leave a half-started server behind
        raise
    return node


def wait_ready(url: str, proc: subprocess.Popen, log: Path, timeout: float | None = None) -> None:
    """Until the server answers (it opens its port only once warm) or exits or the time is up
    (``SARABAN_LIVE_START_S``, default 180: only a failing start waits that long)."""
    deadline = time.time() + (timeout or float(os.environ.get("SARABAN_LIVE_START_S", "180")))
    while time.time() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=30).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(log.read_text())
        time.sleep(0.1)
    raise RuntimeError("server did not start:\n" + log.read_text())


def stop_node(node: Node) -> None:
    """Stop the server's whole process group (the master, its web workers and its task worker): SIGTERM, then
    SIGKILL to whatever is left of the group."""
    procs.kill_group(node.proc)


@contextmanager
def running_node(tmp: Path, **kw: Any) -> Iterator[Node]:
    """A started node (:func:`start_node`), stopped with its whole process group however the block ends."""
    n = start_node(tmp, **kw)
    try:
        yield n
    finally:
        stop_node(n)


@pytest.fixture
def node(tmp_path: Path) -> Iterator[Node]:
    with running_node(tmp_path) as n:
        yield n
