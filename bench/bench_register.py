"""Registrations per second through the REST API with 8 concurrent clients, on SQLite and PostgreSQL,
against the same work done as bare SQL (row lock + insert) in this process as the ceiling.

    .venv/bin/python bench/bench_register.py [--clients 8] [--per-client 150] [--workers 3]

Each registration is a real multipart upload of a distinct one-page PDF with Thai metadata through gunicorn:
token check, validation, PDF check, content-addressed store, gapless number, register row, audit
event, outbox row for the receipt stamp.  The stamp itself is drawn later by the worker (not running
during the timed phase; its rate is printed separately).  Numbers are checked gapless afterwards.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from bench._node import Node, Postgres

BOUNDARY = "----saraban-bench-boundary"


def sample_pdf() -> bytes:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saraban.settings")
    os.environ.setdefault("SARABAN_HOME", tempfile.mkdtemp())
    import django

    django.setup()
    import datetime as dt

    from saraban.demo.content import sample_letter_pdf

    return sample_letter_pdf("สลค 0105/ว 1", "สำนักเลขาธิการคณะรัฐมนตรี", "ปลัดกระทรวง", "หนังสือทดสอบความเร็ว",
                             dt.date(2026, 1, 5))


def body(i: int, pdf: bytes) -> bytes:
    meta = {"their_ref": f"สลค 0105/{i}", "their_date": "2026-01-05", "sender": f"หน่วยงานทดสอบ {i}",
            "addressee": "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "subject": f"หนังสือทดสอบความเร็ว ฉบับที่ {i}"}
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n'.encode(),
        json.dumps(meta, ensure_ascii=False).encode(), b"\r\n",
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="l.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode(), pdf, f"\n%saraban-bench {i}\n".encode(),
        f"\r\n--{BOUNDARY}--\r\n".encode(),
    ]
    return b"".join(parts)


def api_run(node: Node, pdf: bytes, clients: int, per_client: int) -> tuple[float, list[float], list[int]]:
    latencies: list[float] = []
    numbers: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()
    port = node.port

    def client(c: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for k in range(per_client):
            i = c * 100000 + k
            data = body(i, pdf)
            t = time.perf_counter()
            conn.request("POST", "/api/v1/letters/incoming", body=data, headers={
                "Authorization": f"Bearer {node.token}", "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
            resp = conn.getresponse()
            payload = resp.read()
            dt_ = time.perf_counter() - t
            with lock:
                if resp.status != 201:
                    errors.append(payload.decode()[:200])
                else:
                    latencies.append(dt_)
                    numbers.append(json.loads(payload)["registration"]["number"])
        conn.close()

    # warm up every gunicorn worker
    warm = [threading.Thread(target=client, args=(900 + w,)) for w in range(clients)]
    for t in warm:
        t.start()
    for t in warm:
        t.join()
    latencies.clear()
    numbers.clear()
    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise SystemExit(f"{len(errors)} errors, e.g. {errors[0]}")
    return elapsed, latencies, numbers


def bare_sql(kind: str, url: str | None, clients: int, per_client: int) -> float:
    """The floor of the same work: lock the book row (increment), insert the entry, commit."""
    if kind == "postgresql":
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE book (id int primary key, last int not null)")
            conn.execute("CREATE TABLE entry (id uuid primary key, book int, number int, subject text, "
                         "registered_at timestamptz default now(), unique (book, number))")
            conn.execute("INSERT INTO book VALUES (1, 0)")

        def work(_: int) -> None:
            with psycopg.connect(url) as conn:
                for k in range(per_client):
                    with conn.transaction():
                        n = conn.execute("UPDATE book SET last = last + 1 WHERE id = 1 RETURNING last").fetchone()[0]
                        conn.execute("INSERT INTO entry (id, book, number, subject) VALUES (%s, 1, %s, %s)",
                                     (uuid.uuid4(), n, f"เรื่อง {k}"))
    else:
        path = Path(tempfile.mkdtemp()) / "bare.sqlite3"
        conn = sqlite3.connect(path)
        conn.executescript("PRAGMA journal_mode=WAL; CREATE TABLE book (id int primary key, last int not null);"
                           "CREATE TABLE entry (id text primary key, book int, number int, subject text,"
                           " unique (book, number)); INSERT INTO book VALUES (1, 0);")
        conn.commit()
        conn.close()

        def work(_: int) -> None:
            c = sqlite3.connect(path, timeout=30, isolation_level=None)
            c.execute("PRAGMA synchronous=FULL")
            for k in range(per_client):
                c.execute("BEGIN IMMEDIATE")
                n = c.execute("UPDATE book SET last = last + 1 WHERE id = 1 RETURNING last").fetchone()[0]
                c.execute("INSERT INTO entry VALUES (?, 1, ?, ?)", (str(uuid.uuid4()), n, f"เรื่อง {k}"))
                c.execute("COMMIT")
            c.close()

    threads = [threading.Thread(target=work, args=(c,)) for c in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return clients * per_client / (time.perf_counter() - start)


def stamp_rate(node: Node, n: int) -> float:
    """How fast the worker draws receipt stamps (run after the timed phase)."""
    import subprocess

    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "saraban.cli", "worker", "--batch"], env=node.env, check=True,
                   capture_output=True)
    return n / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--per-client", type=int, default=150)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--only", choices=["sqlite", "postgresql"], default=None)
    args = ap.parse_args()
    from bench._context import print_context

    print_context("bench_register")
    pdf = sample_pdf()
    pg = Postgres() if args.only != "sqlite" else None
    rows = []
    try:
        for kind in ("sqlite", "postgresql"):
            if args.only and kind != args.only:
                continue
            node = Node(pg.new_database() if kind == "postgresql" else None, workers=args.workers)
            try:
                elapsed, lat, numbers = api_run(node, pdf, args.clients, args.per_client)
                total = len(numbers)
                first = min(numbers)
                gapless = sorted(numbers) == list(range(first, first + total))
                api_rate = total / elapsed
                ceiling = bare_sql(kind, pg.new_database() if kind == "postgresql" else None, args.clients,
                                   args.per_client)
                stamps = stamp_rate(node, total + args.clients * args.per_client)
                lat.sort()
                rows.append((kind, api_rate, ceiling, api_rate / ceiling, statistics.median(lat) * 1000,
                             lat[int(len(lat) * 0.95)] * 1000, gapless, stamps))
            finally:
                node.stop()
    finally:
        if pg:
            pg.stop()
    print(f"\nSaraban registration benchmark — {args.clients} concurrent clients × {args.per_client} registrations, "
          f"{args.workers} gunicorn workers × 4 threads (the `saraban serve` default on 2 cores)")
    print(f"{'database':<11} {'API reg/s':>10} {'bare SQL/s':>11} {'ratio':>6} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'gapless':>8} {'stamps/s':>9}")
    for kind, api_rate, ceiling, ratio, p50, p95, gapless, stamps in rows:
        print(f"{kind:<11} {api_rate:>10.0f} {ceiling:>11.0f} {ratio:>6.2f} {p50:>7.1f} {p95:>7.1f} "
              f"{'yes' if gapless else 'NO':>8} {stamps:>9.1f}")


if __name__ == "__main__":
    main()
