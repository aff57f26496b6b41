"""The exchange in the demo.

``saraban demo``: every agency of the demo ministry is on this node and exchanges letters with the others
through SBX in-process (a TEST federation with this one node).

``saraban demo --federated --port P``: two nodes, two processes each (``saraban serve`` and ``saraban sbx
serve``), two databases, linked by SBX with mutual TLS on loopback.  Node A (web on P, SBX on P+2, data in
``$SARABAN_HOME/a``) hosts the ministry's agencies but กรมอุตุนิยมวิทยา; node B (web on P+1, SBX on P+3, data in
``$SARABAN_HOME/b``) hosts กรมอุตุนิยมวิทยา.  The TEST federation (PKI, signed directory, node configs) is in
``$SARABAN_HOME/federation``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from saraban.exchange import actions, refresh
from saraban.exchange import node as node_mod
from saraban.kernel import schema
from saraban.orgs import directory as org_directory
from saraban.orgs.actions import load_directory

from . import content, federation

B_AGENCIES = ("tmd",)


def split(data: dict[str, Any], hosted: set[str]) -> dict[str, Any]:
    """The organisation file cut down to what one node hosts (every agency stays known by name)."""
    units = [u for u in data.get("unit", []) if u["agency"] in hosted]
    codes = {u["code"] for u in units}
    return {**data, "unit": units, "position": [p for p in data.get("position", []) if p["unit"] in codes],
            "person": [p for p in data.get("person", []) if p["unit"] in codes
                       and all(g["unit"] in codes for g in p.get("roles", []))]}


def setup_node(hosted: list[str], *, seed: bool) -> dict[str, Any]:
    """Inside one node's process: its share of the organisation, hosting flags, the directory, demo letters."""
    schema.migrate()
    data = org_directory.read(org_directory.DEMO_FILE)
    load_directory(split(data, set(hosted)), demo=True)
    actions.set_hosting(None, hosted)
    version = refresh.refresh()
    seeded = content.seed_intake() if seed else 0
    return {"hosted": hosted, "directory": version, "seeded": seeded}


def setup_single(home: Path) -> Path:
    """One-node federation for ``saraban demo`` (idempotent); returns the node config's path."""
    root = home / "exchange" / "federation"
    config = node_mod.config_path()
    agencies = federation.agencies_from_org(org_directory.DEMO_FILE)
    if not config.exists():
        federation.create(root, [federation.NodeSpec("all", tuple(a["code"] for a in agencies))], agencies)
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_bytes((root / "all" / "node.toml").read_bytes())
    node_mod.forget()
    refresh.refresh()
    return config


def _node_database(base: str | None, suffix: str) -> str | None:
    if not base:
        return None
    import psycopg

    name = base.rsplit("/", 1)[1].split("?")[0] + f"_{suffix}"
    admin = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + f"/{name}"


Nodes = dict[str, tuple[tuple[str, ...], int, int]]
"""Node name -> (agency codes it hosts, web port, SBX port)."""


def _federation(home: Path, nodes: Nodes) -> Path:
    """The TEST federation for these nodes under ``home/federation`` (made again when the ports change)."""
    agencies = federation.agencies_from_org(org_directory.DEMO_FILE)
    root = home / "federation"
    specs = [federation.NodeSpec(n, codes, sbx) for n, (codes, _, sbx) in nodes.items()]
    ports = ",".join(str(s.port) for s in specs)
    marker = root / "ports"
    if not (root / "directory.json").exists() or not marker.exists() or marker.read_text() != ports:
        federation.create(root, specs, agencies)
        marker.write_text(ports)
    return root


def _set_up_nodes(home: Path, root: Path, nodes: Nodes) -> dict[str, dict[str, str]] | int:
    """Each node's data directory, config and share of the demo (in its own process); their environments,
    or the exit code of the set-up that failed."""
    envs = {}
    for name, (codes, _web, _sbx) in nodes.items():
        env = {k: v for k, v in os.environ.items() if k not in ("SARABAN_HOME", "SARABAN_SBX_CONFIG")}
        env["SARABAN_HOME"] = str(home / name)
        config = home / name / "exchange" / "node.toml"  # where `saraban sbx …` looks by default
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_bytes((root / name / "node.toml").read_bytes())
        db = _node_database(os.environ.get("DATABASE_URL"), name)
        if db:
            env["DATABASE_URL"] = db
        out = subprocess.run([sys.executable, "-m", "saraban.cli", "demo", "node-setup", "--hosted", ",".join(codes),
                              *(["--seed"] if name == "a" else [])], env=env, capture_output=True, text=True)
        if out.returncode != 0:
            print(out.stdout + out.stderr, file=sys.stderr)
            return out.returncode
        envs[name] = env
    return envs


def _banner(home: Path, root: Path, port: int) -> list[str]:
    pw = "saraban-demo"
    return [
        "",
        "Saraban demo, two nodes linked by SBX (mutual TLS on loopback) — ระบบสารบรรณสองระบบเชื่อมโยงกัน",
        f"  node A  http://127.0.0.1:{port}/   data {home / 'a'}   SBX https://127.0.0.1:{port + 2}/sbx/v1",
        "          สำนักงานปลัดกระทรวงดิจิทัลฯ and the other agencies of the ministry — login: registrar",
        f"  node B  http://127.0.0.1:{port + 1}/   data {home / 'b'}   SBX https://127.0.0.1:{port + 3}/sbx/v1",
        "          กรมอุตุนิยมวิทยา — login: tmd-registrar",
        f"  password for all demo logins: {pw}",
        "  try: issue a number with a PDF on A (ออกเลขหนังสือส่ง), open the letter, send it to กรมอุตุนิยมวิทยา,",
        "       register it on B's desk, and watch A's letter page show B's receipt number",
        f"  TEST federation (PKI, signed directory, node configs): {root}",
        f"  commands on a node: SARABAN_HOME={home / 'a'} saraban sbx outbox   (or token create registrar …)",
        "  stop with Ctrl-C",
        "",
    ]


def _supervise(procs: list[subprocess.Popen], lines: list[str]) -> int:
    """Wait until Ctrl-C/SIGTERM or until one process dies, then stop them all; return the exit code.

    It sleeps in ``sigtimedwait`` (woken by the signal itself, a child's SIGCHLD included), not in a loop."""
    watched = {signal.SIGINT, signal.SIGTERM, signal.SIGCHLD}
    signal.pthread_sigmask(signal.SIG_BLOCK, watched)
    code = 0
    try:
        deadline = time.monotonic() + 1.5
        while (left := deadline - time.monotonic()) > 0:  # let the nodes print their own start lines first
            got = signal.sigtimedwait(watched, left)
            if got is not None and got.si_signo != signal.SIGCHLD:
                return 0
        print("\n".join(lines), flush=True)
        while True:
            for p in procs:
                if p.poll() is not None:
                    print(f"saraban: {p.args[3:5]} exited with {p.returncode}", file=sys.stderr, flush=True)
                    return p.returncode or 1
            got = signal.sigtimedwait(watched, 60)
            if got is not None and got.si_signo != signal.SIGCHLD:
                return code
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=25)
            except subprocess.TimeoutExpired:
                p.kill()
        signal.pthread_sigmask(signal.SIG_UNBLOCK, watched)


def run_federated(home: Path, port: int, workers: int, *, setup_only: bool = False) -> int:
    """``saraban demo --federated``: set up both nodes, then serve them until stopped; returns the exit code."""
    agencies = federation.agencies_from_org(org_directory.DEMO_FILE)
    a_codes = tuple(a["code"] for a in agencies if a["code"] not in B_AGENCIES)
    nodes: Nodes = {"a": (a_codes, port, port + 2), "b": (B_AGENCIES, port + 1, port + 3)}
    root = _federation(home, nodes)
    envs = _set_up_nodes(home, root, nodes)
    if isinstance(envs, int):
        return envs
    lines = _banner(home, root, port)
    if setup_only:
        print("\n".join(lines))
        return 0
    procs: list[subprocess.Popen] = []
    for name, (_codes, web, _sbx) in nodes.items():
        env = envs[name]
        procs.append(subprocess.Popen([sys.executable, "-m", "saraban.cli", "serve", "--port", str(web),
                                       "--workers", str(workers), "--no-migrate"], env=env))
        procs.append(subprocess.Popen([sys.executable, "-m", "saraban.cli", "sbx", "serve"], env=env,
                                      stdout=subprocess.DEVNULL))
    return _supervise(procs, lines)
