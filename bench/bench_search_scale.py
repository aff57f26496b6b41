"""Search at scale: load N generated letters, build the index, time a mixed query set.

    .venv/bin/python bench/bench_search_scale.py --letters 100000                       # SQLite
    .venv/bin/python bench/bench_search_scale.py --letters 1000000 --postgres auto      # PostgreSQL
    .venv/bin/python bench/bench_search_scale.py --letters 1000000 --postgres URL   # a server you run
    .venv/bin/python bench/bench_search_scale.py --letters 1000000 --database URL/DB --home DIR --queries-only

With ``--postgres URL`` the new database is left on that server; it and the data directory (whose keys sealed
the classified rows) are printed, for timing the queries again after a change with ``--queries-only``.

Prints: load time (bulk rows, not the target), indexing throughput (letters/s through the application's
``reindex``: documents built, rows written, the backend's index kept; then the index structures rebuilt as
after a full reindex, ``--rebuild-index``, timed apart), database and index size, peak
memory of this process (and of the PostgreSQL server's processes), and p50/p95/max latency of a mixed
query set — references, topic words, project phrases, names, two-word queries, the 1–2 character prefixes
typed into the search box — run for a unit's registrar and for a reader who may see everything.  The
machine's load average is printed before and after: the figures are only as good as the machine was idle.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search import corpus
from bench.search.load import load, seeing_all, setup


def queries(rnd: random.Random, specs: list) -> list[str]:  # type: ignore[type-arg]
    """200 queries: what people type, in rough proportion."""
    out: list[str] = []
    for _ in range(40):
        out.append(rnd.choice(corpus.TOPICS)[3:][:rnd.randint(6, 14)])  # a topic word or two
    for _ in range(30):
        s = rnd.choice(specs)
        out.append(s.their_ref.split(" ", 1)[1] if rnd.random() < 0.5 else s.their_ref)  # a reference
    for _ in range(30):
        out.append(f"{rnd.choice(corpus.ACTIVITIES)}{rnd.choice(corpus.GROUPS)}")  # a phrase of the body
    for _ in range(20):
        out.append(f"{rnd.choice(corpus.FIRST)} {rnd.choice(corpus.LAST)}")  # a person (two terms)
    for _ in range(20):
        out.append(f"{rnd.choice(corpus.DEPARTMENTS)} {rnd.choice(corpus.PROVINCES)}")  # a sender and a place
    for _ in range(20):
        out.append(rnd.choice(corpus.LATIN).lower())
    for _ in range(20):
        word = rnd.choice(corpus.TOPICS)[3:]
        out.append(word[:rnd.choice([1, 2])])  # the first keys typed into the box
    for _ in range(20):
        day = corpus.START + __import__("datetime").timedelta(days=rnd.randint(0, 900))
        out.append(f"{day.day}/{day.month}/{day.year + 543}")
    return out


def stream(n: int, batch: int):  # type: ignore[no-untyped-def]
    rnd = random.Random(13)
    for start in range(0, n, batch):
        yield [corpus.letter(rnd, i) for i in range(start, min(n, start + batch))]


def pg_memory_kb() -> int:
    out = subprocess.run(["ps", "-C", "postgres", "-o", "rss="], capture_output=True, text=True).stdout
    return sum(int(x) for x in out.split() if x.isdigit())


def timed(p, qs: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    from saraban.search.query import search

    out = []
    for q in qs:
        t = time.perf_counter()
        search(p, q, limit=20)
        out.append((time.perf_counter() - t) * 1000)
    return out


def report(label: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(f"  {label:<34} n={len(ms)} p50 {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms  max {ms[-1]:7.1f} ms")


def run(n: int, database_url: str | None, batch: int, home: str | None = None, queries_only: bool = False) -> None:
    print(f"load average before: {os.getloadavg()}")
    fresh = setup(database_url, home)
    print(f"data directory: {os.environ['SARABAN_HOME']}; database: {database_url or 'SQLite, in it'}", flush=True)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection

    from saraban.access.principal import principal_for
    from saraban.search import index
    from saraban.search.backends import backend

    started = time.perf_counter()
    sample: list = []  # type: ignore[type-arg]
    done = 0
    for chunk in stream(n, batch):
        if fresh:
            load(chunk, batch=batch)
        done += len(chunk)
        sample += chunk[:: max(1, n // 5000)]
        if done % (batch * 20) == 0 or done == n:
            print(f"  loaded {done:,} letters ({done / (time.perf_counter() - started):,.0f}/s)", flush=True)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    last = [0.0]

    def progress(d: int, total: int) -> None:
        if time.perf_counter() - last[0] > 30 or d == total:
            last[0] = time.perf_counter()
            print(f"  indexed {d:,}/{total:,} ({d / (last[0] - started):,.0f}/s)", flush=True)

    if not queries_only:
        index.reindex(progress=progress, batch=2000)
    indexing = time.perf_counter() - started
    # then, as docs/search.md (Operating) says to after a full reindex of a large database, the index structures
    # built anew (``saraban search reindex --rebuild-index``): timed apart, not part of the indexing rate
    started = time.perf_counter()
    if not queries_only:
        index.rebuild_structures()
    rebuilt = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
            cur.execute("SELECT pg_database_size(current_database())")
            db_bytes = cur.fetchone()[0]
    else:
        db_bytes = sum(f.stat().st_size for f in Path(settings.DATABASES["default"]["NAME"]).parent.glob("*.sqlite3*"))
    rnd = random.Random(5)
    qs = queries(rnd, sample)
    registrar = principal_for(get_user_model().objects.get(username="registrar"))
    everyone = seeing_all()
    timed(registrar, qs[:20])  # warm the caches (the word dictionary, the connection)
    timed(everyone, qs[:20])
    # as `saraban serve` does once it is warm (ops/warm.py): what is loaded by now leaves the collector's
    # view; without it, every full collection walked the word dictionary's trie (15 of 80 ms in 400 queries)
    gc.collect()
    gc.freeze()
    print(f"== {connection.vendor} ({backend().name}): {n:,} letters")
    if connection.vendor == "postgresql":  # the server's memory for pages decides how much is read from the OS
        with connection.cursor() as cur:
            shown = []
            for name in ("shared_buffers", "effective_cache_size", "work_mem", "jit"):
                cur.execute(f"SHOW {name}")
                shown.append(f"{name}={cur.fetchone()[0]}")
        print(f"  server: {', '.join(shown)}")
    if fresh:
        print(f"  bulk load of the rows            {loaded:8.1f} s  ({n / loaded:,.0f} letters/s; not the target)")
    if not queries_only:
        print(f"  indexing (reindex)               {indexing:8.1f} s  ({n / indexing:,.0f} letters/s; target >= 1,000)")
        print(f"  index structures rebuilt         {rebuilt:8.1f} s  (--rebuild-index)")
    print(f"  database on disk                 {db_bytes / 1e9:8.2f} GB; search rows + index "
          f"{backend().disk_bytes() / 1e9:.2f} GB")
    print(f"  peak memory of this process      {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.0f} MB"
          + (f"; PostgreSQL processes now {pg_memory_kb() / 1024:.0f} MB" if connection.vendor == "postgresql" else ""))
    for label, p in (("registrar of one unit", registrar), ("reader who may see everything", everyone)):
        ms = timed(p, qs)
        report(label, ms)
        kinds = ["topic", "reference", "phrase", "person", "sender+place", "latin", "1-2 chars", "date"]
        sizes = [40, 30, 30, 20, 20, 20, 20, 20]
        at = 0
        for kind, size in zip(kinds, sizes, strict=True):
            report(f"  {kind}", ms[at:at + size])
            at += size
    print(f"load average after: {os.getloadavg()}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--letters", type=int, default=100_000)
    ap.add_argument("--postgres", help="a PostgreSQL URL whose server may create a database, or 'auto'")
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--queries-only", action="store_true", help="with --home or --database: time the queries on the "
                    "index an earlier run built (after a change to the query code)")
    ap.add_argument("--database", help="a PostgreSQL database an earlier run left (with --queries-only)")
    ap.add_argument("--home", help="the data directory of an earlier run whose letters are loaded (SQLite; with "
                    "--database, the one whose keys sealed its classified rows): "
                    "rebuild its index and time the queries again")
    args = ap.parse_args()
    from bench._context import print_context

    print_context("bench_search_scale")
    if args.database:
        run(args.letters, args.database, args.batch, args.home, args.queries_only)
    elif args.postgres:
        from bench._node import Postgres

        pg = Postgres() if args.postgres == "auto" else None
        if pg:
            url = pg.new_database()
        else:
            import psycopg

            name = f"bench_search_{os.getpid()}"
            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            url = args.postgres.rsplit("/", 1)[0] + f"/{name}"
        try:
            run(args.letters, url, args.batch)
        finally:
            if pg:
                pg.stop()
    else:
        run(args.letters, None, args.batch, args.home, args.queries_only)


if __name__ == "__main__":
    main()
