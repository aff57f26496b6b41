"""Load test: a ministry's day on 2 web servers and 2 task workers sharing PostgreSQL, with one web server and
one worker killed mid-run (Locust; targets: errors 0, nothing lost, nothing duplicated).

Run with::

    uv sync --extra test --extra bench
    .venv/bin/python bench/bench_load.py [--letters 20000] [--people 2000] [--users 40] [--web-workers 1]

It starts a private PostgreSQL, sets up the demo ministry plus eight generated agencies holding ``--people``
people (registrars, division heads, officers; each with an API token), starts ``saraban serve --no-worker`` twice
and ``saraban worker`` twice (one shared data directory; every file on a private S3 server, ``--blobs s3``,
the default), and runs ``bench/locust_ministry.py`` headless until ``--letters`` letters are registered and routed.
When ``--kill-at`` of them are in, it SIGKILLs the first web server's and the first worker's whole process
groups and restarts them 5 s later (as systemd would).  Then it waits for the queue to drain and prints:
throughput, p50/p95 per request kind, errors, retries, peak memory (RSS and PSS) per process, and the checks:
register numbers gapless, every letter registered once, every task done (a task claimed twice only when
its worker was lost), every receipt stamp drawn once.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.live.cluster import Cluster, wait_drained  # noqa: E402

from bench._node import Postgres  # noqa: E402
from bench.bench_start import memory  # noqa: E402

AGENCIES = 8
DIVISIONS = 6


def org_toml(people: int) -> str:
    """Eight agencies, each a central registry unit and six divisions; people spread over them."""
    out = ['demo_password = "bench-only-password"\n']
    per = max(people // AGENCIES, DIVISIONS + 2)
    for a in range(1, AGENCIES + 1):
        code = f"b{a}"
        out.append(f'[[agency]]\ncode = "{code}"\nname_th = "กรมทดสอบภาระที่ {a}"\nname_en = "Load test department {a}"\n'
                   f'short_name_th = "กท.{a}"\nletter_code = "กท{a}"\n')
        out.append(f'[[unit]]\ncode = "{code}-central"\nagency = "{code}"\nname_th = "สำนักงานเลขานุการกรม {a}"\n'
                   f'unit_number = "{a:02d}01"\nissues_numbers = true\n')
        for d in range(1, DIVISIONS + 1):
            out.append(f'[[unit]]\ncode = "{code}-d{d}"\nagency = "{code}"\nparent = "{code}-central"\n'
                       f'name_th = "กองที่ {d} กรมทดสอบภาระที่ {a}"\n')
            out.append(f'[[position]]\ncode = "{code}-d{d}-head"\nunit = "{code}-d{d}"\n'
                       f'title_th = "ผู้อำนวยการกองที่ {d}"\nis_head = true\n')
        for p in range(per):
            if p < 2:
                extra = f'roles = [{{ role = "registrar", unit = "{code}-central" }}]\n'
                unit = f"{code}-central"
            elif p < 2 + DIVISIONS:
                d = p - 1
                unit = f"{code}-d{d}"
                extra = (f'positions = ["{code}-d{d}-head"]\n'
                         f'roles = [{{ role = "executive", unit = "{code}-d{d}" }}]\n')
            else:
                unit = f"{code}-d{p % DIVISIONS + 1}"
                extra = f'roles = [{{ role = "officer", unit = "{unit}" }}]\n'
            out.append(f'[[person]]\nusername = "{code}-u{p}"\nprefix_th = "นาย"\nfirst_name_th = "ทดสอบ{a}"\n'
                       f'last_name_th = "ภาระงาน{p}"\nunit = "{unit}"\nclearance = 0\n{extra}')
    return "\n".join(out)


TOKENS = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from saraban.api.actions import create_token
out = {}
for u in get_user_model().objects.filter(username__regex=r"^b[0-9]+-u[0-9]+$"):
    out[u.username] = create_token(u, name="bench")[1]
from saraban.demo.content import sample_letter_pdf
import datetime as dt
open(sys.argv[2], "wb").write(sample_letter_pdf("ทดสอบ 0001/1", "หน่วยงานภายนอก", "อธิบดี", "หนังสือทดสอบภาระ",
                                                dt.date(2026, 1, 5)))
json.dump(out, open(sys.argv[1], "w"))
"""


def plan(c: Cluster, work: Path, people: int, year: int) -> Path:
    (work / "org.toml").write_text(org_toml(people), encoding="utf-8")
    c.saraban("loadorg", str(work / "org.toml"), timeout=1200)
    subprocess.run([sys.executable, "-c", TOKENS, str(work / "tokens.json"), str(work / "letter.pdf")],
                   env=c.env | {"DJANGO_SETTINGS_MODULE": "saraban.settings"}, check=True, timeout=1200)
    tokens = json.loads((work / "tokens.json").read_text())
    registrars, staff = [], []
    for name, token in tokens.items():
        agency, p = name.split("-u")
        heads = [f"{agency}-d{d}-head" for d in range(1, DIVISIONS + 1)]
        me = {"u": name, "token": token, "agency": agency, "heads": heads, "central": f"{agency}-central",
              "head": 2 <= int(p) < 2 + DIVISIONS,
              "unit": f"{agency}-central", "addressee": f"อธิบดีกรมทดสอบภาระที่ {agency[1:]}"}
        (registrars if int(p) < 2 else staff).append(me)
    path = work / "plan.json"
    path.write_text(json.dumps({"run": int(time.time()), "year": year, "pdf": str(work / "letter.pdf"),
                                "registrars": registrars, "staff": staff}, ensure_ascii=False))
    return path


class Sampler(threading.Thread):
    """Peak RSS and PSS of every process of every cluster member, sampled every 2 s."""

    def __init__(self, c: Cluster) -> None:
        super().__init__(daemon=True)
        self.c, self.peak, self.stopping = c, {}, threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(2):
            for name, p in list(self.c.procs.items()):
                if p.popen is None or p.popen.poll() is not None:
                    continue
                for pid in self.c.pids(name):
                    m = memory(pid)
                    role = f"{name} {'master' if pid == p.popen.pid else 'child'} (start {p.starts})"
                    old = self.peak.get(role, {"rss": 0.0, "pss": 0.0})
                    self.peak[role] = {"rss": max(old["rss"], m["rss"]), "pss": max(old["pss"], m["pss"])}


def registered(c: Cluster) -> int:
    return c.query("SELECT count(*) FROM registry_registerentry e JOIN registry_registerbook b ON b.id = e.book_id "
                   "JOIN orgs_unit u ON u.id = b.unit_id WHERE u.code LIKE 'b%%-central' AND b.kind = 'received'")[0][0]


def kill_and_restart(c: Cluster, at: int, log: list[str]) -> None:
    while registered(c) < at:
        time.sleep(0.5)
    for name in ("web1", "worker1"):
        c.kill(name)
        log.append(f"{time.strftime('%H:%M:%S')} SIGKILL {name} (whole process group) at {registered(c)} letters")
    time.sleep(5)
    for name in ("web1", "worker1"):
        c.start(name)
    c.wait_ready(c.procs["web1"])
    log.append(f"{time.strftime('%H:%M:%S')} web1 and worker1 restarted, web1 ready")


def stats(prefix: Path) -> list[dict[str, str]]:
    with open(f"{prefix}_stats.csv") as fh:
        return list(csv.DictReader(fh))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--letters", type=int, default=20000)
    ap.add_argument("--people", type=int, default=2000)
    ap.add_argument("--users", type=int, default=40, help="concurrent Locust users")
    ap.add_argument("--web-workers", type=int, default=1, help="gunicorn workers per web server")
    ap.add_argument("--kill-at", type=float, default=0.4, help="kill when this share of letters is in (0: never)")
    ap.add_argument("--database-url", help="an existing PostgreSQL server's database URL (default: start one)")
    ap.add_argument("--blobs", choices=["s3", "local"], default="s3",
                    help="s3: a private S3 server (scripts/s3.sh, Swift + s3api) holds every file (default); "
                         "local: files under the shared data directory")
    args = ap.parse_args()
    try:
        import locust  # noqa: F401
    except ImportError:
        sys.exit("bench_load needs Locust: uv sync --extra test --extra bench")
    from bench._context import print_context

    print_context("bench_load")
    pg = None if args.database_url else Postgres()
    work = Path(tempfile.mkdtemp(prefix="saraban-bench-load-"))
    work.chmod(0o755)  # as root the S3 server runs as `swift`, which must reach its folder inside
    try:
        run(args, args.database_url or pg.new_database(), work)  # type: ignore[union-attr]
    finally:  # however it ends: no server of this run is left behind
        if args.blobs == "s3":
            subprocess.run(["bash", str(ROOT / "scripts/s3.sh"), "stop", str(work / "s3")], check=False)
        if pg:
            pg.stop()


def run(args: argparse.Namespace, db: str, work: Path) -> None:
    load = os.getloadavg()
    t_setup = time.monotonic()
    extra = {"SARABAN_LOG_LEVEL": "ERROR", "SARABAN_TICK_SECONDS": "10", "SARABAN_WORKER_LOST_SECONDS": "20"}
    if args.blobs == "s3":
        extra |= s3_env(work / "s3")
    c = Cluster.create(work / "home", db, extra_env=extra)
    year = 2569
    plan_path = plan(c, work, args.people, year)
    for n in ("web1", "web2"):
        c.add_web(n, workers=args.web_workers, threads=8)
    for n in ("worker1", "worker2"):
        c.add_worker(n)
    c.start_all()
    setup_s = time.monotonic() - t_setup
    sampler = Sampler(c)
    sampler.start()
    events: list[str] = []
    if args.kill_at > 0:
        threading.Thread(target=kill_and_restart, args=(c, int(args.letters * args.kill_at), events),
                         daemon=True).start()
    env = os.environ | {"BENCH_PLAN": str(plan_path), "BENCH_HOSTS": f"{c.url('web1')},{c.url('web2')}",
                        "BENCH_LETTERS": str(args.letters), "BENCH_RESULTS": str(work / "results.json")}
    start = time.monotonic()
    try:
        with open(work / "locust.log", "w") as locust_log:
            subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "bench/locust_ministry.py"),
                            "--headless", "-u", str(args.users), "-r", str(max(1, args.users // 5)),
                            "--run-time", "6h", "--csv", str(work / "locust"), "--only-summary",
                            "--loglevel", "WARNING", "--stop-timeout", "30"], env=env, check=False,
                           timeout=6 * 3600, stdout=subprocess.DEVNULL, stderr=locust_log)
        elapsed = time.monotonic() - start
        found = wait_drained(c, timeout=900)
        drained = time.monotonic() - start
    finally:
        sampler.stopping.set()
        c.stop_all()
    report(args, work, c, found, elapsed, drained, setup_s, load, sampler.peak, events)


def s3_env(state: Path) -> dict[str, str]:
    """Start a private S3 server (as ``.ci/run`` does) and the settings that put every file on it."""
    from urllib.parse import unquote, urlparse

    url = subprocess.run(["bash", str(ROOT / "scripts/s3.sh"), "start", str(state), "58790"], check=True,
                         capture_output=True, text=True, timeout=300).stdout.strip().splitlines()[-1]
    u = urlparse(url)
    return {"SARABAN_BLOB_STORE": "s3", "SARABAN_S3_ENDPOINT": f"{u.scheme}://{u.hostname}:{u.port}",
            "SARABAN_S3_ACCESS_KEY": unquote(u.username or ""), "SARABAN_S3_SECRET_KEY": unquote(u.password or ""),
            "SARABAN_S3_BUCKET": "bench-load"}


def report(args: argparse.Namespace, work: Path, c: Cluster, found: dict, elapsed: float, drained: float,
           setup_s: float, load: tuple[float, float, float], peak: dict, events: list[str]) -> None:
    res = json.loads((work / "results.json").read_text())
    ok_letters = len(res["registered"])
    print(f"\nministry day: {args.letters} letters asked, {args.people} people in 8 agencies, {args.users} Locust "
          f"users, 2 web servers × {args.web_workers} gunicorn worker(s) × 8 threads, 2 task workers, PostgreSQL, "
          f"{'S3 (Swift + s3api)' if args.blobs == 's3' else 'local'} blob store")
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; after: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; set-up {setup_s:.0f} s")
    print(f"letters registered and routed: {ok_letters} registered, {res['routed']} routed, {res['done']} steps "
          f"reported done, in {elapsed:.0f} s = {ok_letters / elapsed:.1f} letters/s; queue drained at {drained:.0f} s")
    for line in events:
        print("  " + line)
    print(f"\n{'request':<34} {'count':>7} {'errors':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for row in stats(work / "locust"):
        print(f"{row['Name'][:34]:<34} {row['Request Count']:>7} {row['Failure Count']:>7} "
              f"{float(row['Requests/s']):7.1f} {row['50%']:>7} {row['95%']:>7} {float(row['Max Response Time']):7.0f}")
    reasons = ", ".join(f"{k}: {v}" for k, v in sorted(res.get("retry_reasons", {}).items()))
    print(f"client retries (same Idempotency-Key, other web server): {res['retries']} ({reasons or 'none'}); "
          f"calls failed after retries: {res['failed']}")
    print(f"\n{'process (peak)':<34} {'RSS MB':>8} {'PSS MB':>8}")
    for role, m in sorted(peak.items()):
        print(f"{role:<34} {m['rss']:8.1f} {m['pss']:8.1f}")
    numbers = [v[1] for v in res["registered"].values()]
    print("\nchecks:")
    print(f"  register numbers gapless and unique in every book: {not found['number_problems']} "
          f"({found['books']} books, {found['entries']} entries)")
    once = registered(c) == ok_letters == len({tuple(v) for v in res["registered"].values()})
    print(f"  every letter registered once: {once} ({registered(c)} entries for {ok_letters} successful "
          f"registrations, numbers {min(numbers, default=0)}–"
          f"{max(numbers, default=0)} per book)")
    print(f"  tasks: {found['tasks']}; claimed twice: {found['ran_twice']} (requeued after a lost worker: "
          f"{found['requeued']}) → every task done: {set(found['tasks']) <= {'SUCCESSFUL'}}")
    print(f"  receipt stamps drawn twice: {found['stamp_dupes']}; SBX outbox: {found['outbox'] or 'none used'}")
    errors = sum(int(r["Failure Count"]) for r in stats(work / "locust") if r["Name"] != "Aggregated")
    print(f"  errors: {errors} (target 0)")
    print(f"\nwork directory (logs, Locust CSV): {work}")


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    main()
