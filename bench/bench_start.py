"""Start-up time and memory of the embedded demo (targets: first page ≤ 10 s after starting ``saraban demo``,
every web worker's first request ≤ 1 s, the whole demo < 500 MB).

Run with ``.venv/bin/python bench/bench_start.py [--runs 3] [--workers N]``.  Each run starts
``saraban demo --port P`` as a new process group: the first run on a fresh data directory (the demo sets it
up: migrations, the ministry, TEST PKI, SBX), later runs on the same directory (an ordinary restart).  It
prints:

- seconds from starting the command until ``GET /login/`` answers 200 (the first page);
- each web worker's first request: the time gunicorn's access log gives for the first request that worker
  served (``%(M)s``, from request read to response written), found by sending parallel requests until
  every worker pid has answered;
- memory once the task worker runs too, per process and summed: RSS (double-counts the pages the processes
  share), PSS (shared pages divided among their sharers: the honest sum) and USS (pages only that process
  has), from ``/proc/PID/smaps_rollup``;
- the load average before each run (the machine is shared; figures on a busy machine are slower).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._node import free_port

TARGET_FIRST_PAGE_S = 10.0
TARGET_WORKER_FIRST_MS = 1000.0
TARGET_MEMORY_MB = 500.0
ACCESS = re.compile(r"\[<?(\d+)>?\] \S+ \"GET (\S+)\" (\d+) \d+ (\d+)ms")


def memory(pid: int) -> dict[str, float]:
    """RSS, PSS and USS of one process in MB."""
    out = {"rss": 0.0, "pss": 0.0, "uss": 0.0}
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return out
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        kb = float(rest.split()[0]) / 1024 if rest.strip() else 0.0
        if key == "Rss":
            out["rss"] = kb
        elif key == "Pss":
            out["pss"] = kb
        elif key in ("Private_Clean", "Private_Dirty"):
            out["uss"] += kb
    return out


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) the processes used so far, with their finished children's."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return total / tick


def group_pids(pgid: int) -> list[int]:
    pids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid:
                pids.append(int(d.name))
    return sorted(pids)


class Run:
    def __init__(self, home: Path, workers: int) -> None:
        self.home, self.workers, self.port = home, workers, free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("SARABAN_")}
        env.pop("DATABASE_URL", None)
        env |= {"SARABAN_HOME": str(home), "SARABAN_TICK_SECONDS": "300"}
        self.load = os.getloadavg()
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "saraban.cli", "demo", "--port", str(self.port), "--workers", str(workers)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.lines: list[str] = []
        self.banner_s = 0.0
        self.cpu = 0.0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)
            if "stop with Ctrl-C" in line and not self.banner_s:
                self.banner_s = time.monotonic() - self.t0

    def first_page(self, timeout: float = 300) -> float:
        url = f"http://127.0.0.1:{self.port}/login/"
        while time.monotonic() - self.t0 < timeout:
            try:
                if httpx.get(url, timeout=30).status_code == 200:
                    self.cpu = cpu_seconds(group_pids(self.proc.pid))
                    return time.monotonic() - self.t0
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError("demo exited:\n" + "".join(self.lines))
            time.sleep(0.05)
        raise RuntimeError("no first page:\n" + "".join(self.lines))

    def served(self) -> dict[int, list[int]]:
        """Per web worker pid: the access-log times (ms) of its requests to /login/, in order."""
        per: dict[int, list[int]] = {}
        for line in list(self.lines):
            m = ACCESS.search(line)
            if m and m.group(2).startswith("/login/"):
                per.setdefault(int(m.group(1)), []).append(int(m.group(4)))
        return per

    def every_worker(self, timeout: float = 60) -> tuple[dict[int, int], float]:
        """Send parallel requests until every web worker answered; return each one's first-request ms and
        the slowest client-side time of those requests."""
        url = f"http://127.0.0.1:{self.port}/login/"
        slowest = 0.0

        def one(_: int) -> float:
            start = time.perf_counter()
            with httpx.Client(timeout=30) as c:  # a new connection each: gunicorn spreads them
                c.get(url)
            return time.perf_counter() - start

        deadline = time.monotonic() + timeout
        with ThreadPoolExecutor(self.workers * 2) as pool:
            while time.monotonic() < deadline:
                slowest = max([slowest, *pool.map(one, range(self.workers * 2))])
                time.sleep(0.3)  # the access log line is written after the response
                if len(self.served()) >= self.workers:
                    break
        return {pid: times[0] for pid, times in self.served().items()}, slowest

    def memory(self) -> dict[int, dict[str, float]]:
        return {pid: memory(pid) for pid in group_pids(self.proc.pid)}

    def stop(self) -> float:
        start = time.monotonic()
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        return time.monotonic() - start


def role(pid: int, master: int, web: set[int]) -> str:
    return "master" if pid == master else "web" if pid in web else "task-worker" if pid != master else "?"


def one_run(home: Path, workers: int, label: str) -> dict[str, float]:
    run = Run(home, workers)
    try:
        first = run.first_page()
        firsts, slowest = run.every_worker()
        time.sleep(3)  # the task worker is forked after the web workers
        mem = run.memory()
    finally:
        stop_s = run.stop()
    master = run.proc.pid
    print(f"\n[{label}] load average before: {run.load[0]:.2f} {run.load[1]:.2f} {run.load[2]:.2f}")
    print(f"  first page:            {first:6.2f} s   (banner printed at {run.banner_s:.2f} s; CPU used until then "
          f"by the demo's processes: {run.cpu:.2f} s)")
    for pid, ms in sorted(firsts.items()):
        print(f"  web worker {pid:>7}: first request {ms:5d} ms")
    print(f"  slowest client time of those requests: {slowest * 1000:.0f} ms")
    print(f"  {'process':<12} {'pid':>7} {'RSS MB':>8} {'PSS MB':>8} {'USS MB':>8}")
    for pid, m in mem.items():
        print(f"  {role(pid, master, set(firsts)):<12} {pid:>7} {m['rss']:8.1f} {m['pss']:8.1f} {m['uss']:8.1f}")
    total = {k: sum(m[k] for m in mem.values()) for k in ("rss", "pss", "uss")}
    print(f"  {'total':<12} {len(mem):>5} p {total['rss']:8.1f} {total['pss']:8.1f} {total['uss']:8.1f}")
    print(f"  stopped in {stop_s:.1f} s")
    return {"first": first, "cpu": run.cpu, "worker_max_ms": max(firsts.values()) if firsts else -1.0,
            "pss": total["pss"], "rss": total["rss"], "procs": len(mem), "load": run.load[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="the first on a fresh data directory, then restarts")
    parser.add_argument("--workers", type=int, default=2, help="web workers (`saraban demo --workers`)")
    args = parser.parse_args()
    from bench._context import print_context

    print_context("bench_start")
    results = []
    with tempfile.TemporaryDirectory(prefix="saraban-bench-start-") as tmp:
        for i in range(args.runs):
            results.append(one_run(Path(tmp) / "home", args.workers, "fresh data directory" if i == 0 else
                                   f"restart {i}"))
    print("\nsummary (target: first page ≤ 10 s, each worker's first request ≤ 1000 ms, PSS < 500 MB)")
    print(f"  {'run':<8} {'load1':>6} {'first page s':>13} {'CPU s':>6} {'worker max ms':>14} {'PSS MB':>8} "
          f"{'RSS MB':>8} {'procs':>6}")
    for i, r in enumerate(results):
        print(f"  {i:<8} {r['load']:6.2f} {r['first']:13.2f} {r['cpu']:6.2f} {r['worker_max_ms']:14.0f} "
              f"{r['pss']:8.1f} {r['rss']:8.1f} {r['procs']:6.0f}")
    ok = all(r["first"] <= TARGET_FIRST_PAGE_S and 0 <= r["worker_max_ms"] <= TARGET_WORKER_FIRST_MS
             and r["pss"] < TARGET_MEMORY_MB for r in results)
    print("  targets met in every run" if ok else "  targets NOT met in every run (see the load average)")


if __name__ == "__main__":
    main()
