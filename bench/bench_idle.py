"""CPU an idle Saraban uses: ``saraban demo`` and then ``saraban demo --federated``, each left alone for 60 s.

    .venv/bin/python bench/bench_idle.py [--seconds 60] [--settle 15] [--only demo|federated]

Each demo runs in a fresh data directory (SQLite; ``DATABASE_URL`` set: PostgreSQL, a database per node) in
its own process group.  Once it answers (its ``/readyz``, and for the federated one both nodes') and has had
``--settle`` seconds to finish starting, the CPU time (user + system) of every process of the group is read
from ``/proc`` at the start and end of the window; processes that ended in between count through their
parent's ``cutime``/``cstime``.  Printed: % of one core for the whole tree (target < 1 %), and per process.
The baseline measured in the same run is the same window with nothing started (the machine's own load).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._context import load_line, print_context
from bench._node import free_port

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")
TARGET = 1.0
SRC = os.environ.get("SARABAN_BENCH_SRC", str(ROOT / "src"))  # another checkout's code, to compare


def group_cpu(pgid: int) -> dict[int, tuple[str, float]]:
    """pid -> (command, CPU seconds incl. reaped children) of every process in the group."""
    out: dict[int, tuple[str, float]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            rest = stat.read_text().rsplit(")", 1)[1].split()
            if int(rest[2]) != pgid:
                continue
            cmd = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except (OSError, IndexError, ValueError):
            continue
        secs = sum(int(x) for x in rest[11:15]) / TICK  # utime stime cutime cstime
        out[int(stat.parent.name)] = (_short(cmd), secs)
    return out


def _short(cmd: str) -> str:
    for marker in ("saraban.cli ", "saraban "):
        if marker in cmd:
            return cmd.split(marker, 1)[1][:60]
    return cmd[:60]


def wait_ready(urls: list[str], proc: subprocess.Popen, timeout: float = 600) -> float:
    start = time.monotonic()
    deadline = start + timeout
    pending = list(urls)
    while pending and time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the demo exited with {proc.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(pending[0] + "/readyz", timeout=5).status_code == 200:
                pending.pop(0)
                continue
        time.sleep(0.2)
    if pending:
        raise SystemExit(f"not ready in {timeout:.0f} s: {pending}")
    return time.monotonic() - start


def stop(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=40)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


PROBE = """
import json, sys, time
import django
django.setup()
from django_tasks_db.models import DBTaskResult
from saraban.routing.tasks import send_daily_digests
n, ids = int(sys.argv[1]), []
for _ in range(n):
    ids.append(send_daily_digests.using(backend="default").enqueue().id)
    time.sleep(0.37)
deadline = time.time() + 120
while DBTaskResult.objects.filter(pk__in=ids, started_at__isnull=True).exists() and time.time() < deadline:
    time.sleep(0.2)
rows = DBTaskResult.objects.filter(pk__in=ids, started_at__isnull=False)
print(json.dumps([(r.started_at - r.enqueued_at).total_seconds() * 1000 for r in rows]))
"""


def task_latency(env: dict[str, str], n: int = 20) -> list[float]:
    """Enqueue ``n`` cheap tasks from another process, 0.37 s apart; ms from enqueue to the worker's start."""
    import json

    env = {**env, "DJANGO_SETTINGS_MODULE": "saraban.settings"}
    out = subprocess.run([sys.executable, "-c", PROBE, str(n)], env=env, capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(name: str, extra: list[str], seconds: float, settle: float, *, reaction: bool = True) -> float:
    home = Path(tempfile.mkdtemp(prefix=f"saraban-idle-{name}-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SARABAN_")}
    env |= {"SARABAN_HOME": str(home), "SARABAN_LOG_LEVEL": "WARNING",
            "PYTHONPATH": os.pathsep.join(filter(None, [SRC, env.get("PYTHONPATH", "")]))}
    port = free_port() if not extra else _federated_port()
    latency: list[float] = []
    args = [sys.executable, "-m", "saraban.cli", "demo", "--port", str(port), "--smtp-port", str(free_port()), *extra]
    log = open(home / "demo.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(args, env=env, cwd=home, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        urls = [f"http://127.0.0.1:{port}"] + ([f"http://127.0.0.1:{port + 1}"] if extra else [])
        took = wait_ready(urls, proc)
        print(f"{name}: ready in {took:.1f} s; settling {settle:.0f} s, then measuring {seconds:.0f} s …", flush=True)
        time.sleep(settle)
        before, t0 = group_cpu(proc.pid), time.monotonic()
        time.sleep(seconds)
        after, t1 = group_cpu(proc.pid), time.monotonic()
        if reaction:
            latency = task_latency(env if not extra else {**env, "SARABAN_HOME": str(home / "a")})
    finally:
        stop(proc)
        log.close()
    wall = t1 - t0
    rows = []
    for pid, (cmd, secs) in after.items():
        used = secs - before.get(pid, (cmd, 0.0))[1]
        rows.append((used, pid, cmd))
    total = sum(r[0] for r in rows)  # a process that ended in the window counts through its parent's cutime
    pct = total / wall * 100
    print(f"\n{name}: {len(after)} processes, {total:.2f} s CPU in {wall:.1f} s = {pct:.2f} % of one core "
          f"(target < {TARGET:g} %: {'met' if pct < TARGET else 'NOT met'})")
    for used, pid, cmd in sorted(rows, reverse=True):
        print(f"  {used / wall * 100:6.2f} %  {used:6.2f} s  pid {pid:<7} {cmd}")
    if reaction:
        import statistics

        print(f"  reaction: enqueue → the task worker starts it, {len(latency)} tasks from another process: "
              f"median {statistics.median(latency):.0f} ms, max {max(latency):.0f} ms")
    print(f"  {load_line()}", flush=True)
    return pct


def _federated_port() -> int:
    """A port P with P..P+3 free (web A, web B, SBX A, SBX B)."""
    import socket

    for _ in range(50):
        p = free_port()
        try:
            for q in range(p, p + 4):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", q))
            return p
        except OSError:
            continue
    raise SystemExit("no 4 free ports in a row")


def baseline(seconds: float) -> float:
    """This process's own CPU while it sleeps the same window (the measuring loop's cost: ~0)."""
    t0, c0 = time.monotonic(), time.process_time()
    time.sleep(min(seconds, 5))
    return (time.process_time() - c0) / (time.monotonic() - t0) * 100


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--settle", type=float, default=15)
    ap.add_argument("--only", choices=["demo", "federated"])
    args = ap.parse_args()
    print_context("bench_idle")
    print(f"baseline (the measuring process itself, idle): {baseline(args.seconds):.2f} % of one core", flush=True)
    results = {}
    if args.only in (None, "demo"):
        results["saraban demo"] = measure("demo", [], args.seconds, args.settle)
    if args.only in (None, "federated"):
        results["saraban demo --federated"] = measure("federated", ["--federated"], args.seconds, args.settle)
    print("\nidle CPU, % of one core:")
    for name, pct in results.items():
        print(f"  {name:<26} {pct:6.2f} %  {'met' if pct < TARGET else 'NOT met'} (< {TARGET:g} %)")


if __name__ == "__main__":
    main()
