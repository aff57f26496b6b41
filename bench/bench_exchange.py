"""End-to-end SBX exchange between two real nodes on loopback: letters per second and latency.

    .venv/bin/python bench/bench_exchange.py [--letters 200] [--paced 60] [--rate 5] [--pg]

Two nodes (each: gunicorn + task worker, and the SBX endpoint/outbox process with mutual TLS), separate
databases (SQLite files, or PostgreSQL databases with ``--pg``).  Node A sends one-page letters signed
with PAdES (B-T) to กรมอุตุนิยมวิทยา on node B through the REST API (``POST /letters/{id}/dispatch``); a letter
counts when A has recorded B's signed ``delivered`` receipt.  Each send is the whole protocol: ASiC-E
package sealed (CAdES B-T), envelope sealed (B-T), HTTPS with client certificates, B verifies seal
signatures, digests, manifest and ``letter.json``, stores and commits, seals the receipt (B-T); A verifies
the receipt and records it.

Times come from the nodes' own records (dispatch queued → receipt recorded).  Burst: all letters
dispatched at once, throughput = letters / (last receipt − first dispatch).  Paced: one letter every
1/rate s, latency p50/p95 per letter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench._node import Postgres, free_port  # noqa: E402


def django_setup(home: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saraban.settings")
    os.environ.setdefault("SARABAN_HOME", str(home))
    import django

    django.setup()


class SbxNode:
    def __init__(self, name: str, base: Path, config: Path, sbx_port: int, database_url: str | None) -> None:
        self.name, self.home = name, base / f"node-{name}"
        self.home.mkdir(parents=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SARABAN_") and k != "DJANGO_SETTINGS_MODULE"}
        env.pop("DATABASE_URL", None)
        env.update(SARABAN_HOME=str(self.home), SARABAN_SBX_CONFIG=str(config), SARABAN_LOG_LEVEL="ERROR",
                   SARABAN_FAST_PASSWORDS="1")
        if database_url:
            env["DATABASE_URL"] = database_url
        self.env = env
        self.run("migrate", "-v0")
        self.run("loadorg")
        self.run("sbx", "directory", "load")
        self.port = free_port()
        self.procs = [
            subprocess.Popen([sys.executable, "-m", "saraban.cli", "serve", "--port", str(self.port), "--workers", "2",
                              "--no-migrate"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True),
            subprocess.Popen([sys.executable, "-m", "saraban.cli", "sbx", "serve"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True),
        ]
        self.url = f"http://127.0.0.1:{self.port}/api/v1"
        for _ in range(600):
            try:
                if httpx.get(self.url + "/openapi.json", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        self.sbx_port = sbx_port

    def run(self, *args: str) -> str:
        return subprocess.run([sys.executable, "-m", "saraban.cli", *args], env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def client(self, username: str) -> httpx.Client:
        token = self.run("token", "create", username).strip().splitlines()[-1]
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=60)

    def stop(self) -> None:
        import signal

        for p in self.procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)


def signed_letter(pki_dir: Path) -> bytes:
    from saraban.demo.content import sample_letter_pdf
    from saraban.signing.pades import Signing, TrustSettings, sign_pdf
    from saraban.signing.pki import PersonSpec, TestPKI
    from saraban.signing.signers import KeyFile
    from saraban.signing.tsa import stamper_for

    pki = TestPKI.load(pki_dir)
    if "person-somchai" not in pki.credentials:
        pki.issue_person(PersonSpec("somchai", "นายสมชาย ใจดี"))
    pdf = sample_letter_pdf("ดศ 0201/1", "สำนักงานปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "อธิบดีกรมอุตุนิยมวิทยา",
                            "ขอความอนุเคราะห์ข้อมูลปริมาณน้ำฝน", dt.date.today())
    trust = TrustSettings(trust_roots=(pki.root.cert,), other_certs=(pki.intermediate.cert, pki.tsa.cert),
                          timestamper=stamper_for(pki.tsa))
    return sign_pdf(pdf, [Signing(KeyFile(pki_dir / "person-somchai.p12", "TEST-only-password"))], trust)


def issue(c: httpx.Client, n: int, pdf: bytes) -> list[str]:
    ids = []
    for i in range(n):
        meta = {"addressee": "อธิบดีกรมอุตุนิยมวิทยา", "subject": f"หนังสือทดสอบความเร็ว ฉบับที่ {i + 1}",
                "urgency": "urgent"}
        r = c.post("/letters/outgoing", data={"metadata": json.dumps(meta, ensure_ascii=False)},
                   files={"file": ("letter.pdf", io.BytesIO(pdf), "application/pdf")})
        r.raise_for_status()
        ids.append(r.json()["id"])
    return ids


def dispatch(c: httpx.Client, letter_id: str) -> None:
    r = c.post(f"/letters/{letter_id}/dispatch", json={"recipients": ["tmd"], "channel": "sbx"})
    r.raise_for_status()


def drained(admin: httpx.Client, timeout: float = 600) -> None:
    """Wait until A's outbox has nothing pending (one light request a second: polling costs the node CPU)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if not admin.get("/exchange/outbox", params={"status": "pending", "limit": 1}).json():
            return
        time.sleep(1.0)


def results(c: httpx.Client, ids: list[str], timeout: float = 600) -> list[tuple[dt.datetime, dt.datetime]]:
    """(queued_at, receipt recorded at) per letter, once all are delivered."""
    deadline = time.time() + timeout
    pending = set(ids)
    done: dict[str, tuple[dt.datetime, dt.datetime]] = {}
    while pending and time.time() < deadline:
        for lid in list(pending):
            row = c.get(f"/letters/{lid}/dispatch").json()[0]
            if row["status"] in ("delivered", "registered"):
                done[lid] = (dt.datetime.fromisoformat(row["queued_at"]), dt.datetime.fromisoformat(row["status_at"]))
                pending.discard(lid)
            elif row["status"] == "failed":
                raise SystemExit(f"delivery failed: {row}")
        if pending:
            time.sleep(0.5)
    if pending:
        raise SystemExit(f"{len(pending)} letters not delivered in time")
    return [done[i] for i in ids]


def cpu_by_process(sessions: dict[str, int]) -> dict[str, float]:
    """CPU seconds used so far by every process of each session (a node's server, worker, SBX process)."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[str, float] = dict.fromkeys(sessions, 0.0)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = stat.read_text()
        except OSError:
            continue
        rest = raw.rsplit(")", 1)[1].split()
        sid, utime, stime = int(rest[3]), int(rest[11]), int(rest[12])
        cmd = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        for name, s in sessions.items():
            if sid == s:
                key = f"{name} {'worker' if 'db_worker' in cmd else ''}".strip()
                out[key] = out.get(key, 0.0) + (utime + stime) / tick
    return out


def wait_intake(b: SbxNode, n: int, timeout: float = 600) -> int:
    """Wait until B's registrar queue holds ``n`` letters that came by SBX (the hand-over after the receipt)."""
    with b.client("tmd-registrar") as c:
        deadline = time.time() + timeout
        while time.time() < deadline:
            got = sum(1 for i in c.get("/intake", params={"limit": 1000}).json() if i["channel"] == "sbx")
            if got >= n:
                return got
            time.sleep(0.5)
    raise SystemExit("B's hand-over did not finish")


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--letters", type=int, default=200, help="letters in the burst")
    ap.add_argument("--paced", type=int, default=60, help="letters sent one by one at --rate")
    ap.add_argument("--rate", type=float, default=5.0, help="paced letters per second")
    ap.add_argument("--clients", type=int, default=4, help="API clients dispatching the burst")
    ap.add_argument("--pg", action="store_true", help="PostgreSQL databases instead of SQLite")
    args = ap.parse_args()
    from bench._context import print_context

    print_context("bench_exchange")

    base = Path(tempfile.mkdtemp(prefix="saraban-bench-sbx-"))
    django_setup(base / "bench-home")
    from saraban.demo import federation
    from saraban.orgs import directory as org_directory

    pg = Postgres() if args.pg else None
    pa, pb = free_port(), free_port()
    agencies = federation.agencies_from_org(org_directory.DEMO_FILE)
    fed = base / "federation"
    federation.create(fed, [federation.NodeSpec("a", tuple(a["code"] for a in agencies if a["code"] != "tmd"), pa),
                            federation.NodeSpec("b", ("tmd",), pb)], agencies)
    print(f"two nodes on loopback ({'PostgreSQL' if pg else 'SQLite'}), mutual TLS, B-T seals; starting …", flush=True)
    a = SbxNode("a", base, fed / "a" / "node.toml", pa, pg.new_database() if pg else None)
    b = SbxNode("b", base, fed / "b" / "node.toml", pb, pg.new_database() if pg else None)
    try:
        pdf = signed_letter(fed / "pki")
        c = a.client("registrar")
        admin = a.client("admin")
        # warm-up (connections, caches of certificate paths)
        warm = issue(c, 3, pdf)
        for lid in warm:
            dispatch(c, lid)
        results(c, warm)

        ids = issue(c, args.letters, pdf)
        print(f"burst: {len(ids)} issued letters, {args.clients} API clients dispatching …", flush=True)
        sessions = {"A web": a.procs[0].pid, "A sbx": a.procs[1].pid, "B web": b.procs[0].pid, "B sbx": b.procs[1].pid}
        cpu0 = cpu_by_process(sessions)
        chunks = [ids[i::args.clients] for i in range(args.clients)]
        clients = [a.client("registrar") for _ in chunks]
        threads = [threading.Thread(target=lambda cl=cl, ch=ch: [dispatch(cl, x) for x in ch])
                   for cl, ch in zip(clients, chunks, strict=True)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        drained(admin)
        burst = results(c, ids)
        cpu1 = cpu_by_process(sessions)
        t_receipts = time.time()
        queued = wait_intake(b, len(ids) + len(warm))
        t_queue = time.time() - t_receipts
        span = (max(d for _, d in burst) - min(q for q, _ in burst)).total_seconds()
        lat_b = [(d - q).total_seconds() * 1000 for q, d in burst]

        paced = issue(c, args.paced, pdf)
        for lid in paced:
            t0 = time.time()
            dispatch(c, lid)
            time.sleep(max(0.0, 1 / args.rate - (time.time() - t0)))
        lat_p = [(d - q).total_seconds() * 1000 for q, d in results(c, paced)]

        print(f"\nSBX end to end, node A → node B (send → signed receipt recorded), {os.cpu_count()} cores")
        print(f"  burst  {len(ids)} letters in {span:.2f} s: {len(ids) / span:.1f} letters/s "
              f"(latency under load p50 {statistics.median(lat_b):.0f} ms, p95 {pct(lat_b, 0.95):.0f} ms)")
        print(f"  then B's hand-over (PAdES validation, letter into the registrar's queue) finished "
              f"{t_queue:.1f} s after the last receipt ({queued} letters queued)")
        used = {k: cpu1.get(k, 0) - cpu0.get(k, 0) for k in sorted(cpu1)}
        print("  CPU during the burst, ms per letter: " + ", ".join(
            f"{k} {v * 1000 / len(ids):.0f}" for k, v in used.items() if v > 0))
        print(f"  paced  {len(paced)} letters at {args.rate:g}/s: latency p50 {statistics.median(lat_p):.0f} ms, "
              f"p95 {pct(lat_p, 0.95):.0f} ms, max {max(lat_p):.0f} ms")
        print(f"  targets: ≥ 20 letters/s {'met' if len(ids) / span >= 20 else 'NOT met'}; "
              f"p50 ≤ 300 ms {'met' if statistics.median(lat_p) <= 300 else 'NOT met'}")
    finally:
        a.stop()
        b.stop()
        if pg:
            pg.stop()


if __name__ == "__main__":
    main()
