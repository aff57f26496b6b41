"""Recall@10 of the search over the relevance set (bench/search/relevance.json), on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_search_relevance.py [--sqlite] [--postgres URL|auto] [--show-misses]

Loads the 2,000 generated letters the set was planted in (bench/search/corpus.py, same seed: the corpus's
fingerprint is checked), builds the index with the application's code, runs each query as a reader who may
see every letter, and prints recall@10 per kind of query and overall: for each query, the share of its
relevant letters (at most 10) among the first 10 results.  Target: ≥ 0.95 on both backends.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search import corpus
from bench.search.load import load, seeing_all, setup


def run(database_url: str | None, show_misses: bool) -> float:
    setup(database_url)
    from django.db import connection

    from saraban.search import index
    from saraban.search.query import search

    data = json.loads(corpus.RELEVANCE.read_text())
    specs, queries = corpus.build(data["letters"])
    if corpus.fingerprint(specs) != data["fingerprint"] or queries != data["queries"]:
        raise SystemExit("the generated corpus no longer matches relevance.json: run bench/search/corpus.py")
    ids = load(specs)
    started = time.perf_counter()
    index.reindex()
    took = time.perf_counter() - started
    p = seeing_all()
    by_kind: dict[str, list[float]] = defaultdict(list)
    latencies = []
    for q in queries:
        t = time.perf_counter()
        hits = [h.letter.pk for h in search(p, q["q"], limit=10).hits]
        latencies.append((time.perf_counter() - t) * 1000)
        relevant = [ids[k] for k in q["relevant"]]
        recall = len(set(hits) & set(relevant)) / min(len(relevant), 10)
        by_kind[q["kind"]].append(recall)
        if show_misses and recall < 1:
            print(f"  miss {recall:.2f} [{q['kind']}] {q['q']!r}")
    overall = statistics.mean(r for rs in by_kind.values() for r in rs)
    print(f"== {connection.vendor}: {len(specs):,} letters indexed in {took:.1f} s; {len(queries)} queries; "
          f"median {statistics.median(latencies):.1f} ms")
    for kind, rs in by_kind.items():
        print(f"  {kind:<18} {len(rs):>3} queries  recall@10 {statistics.mean(rs):.3f}")
    print(f"  {'overall':<18} {len(queries):>3} queries  recall@10 {overall:.3f}  (target >= 0.95)")
    return overall


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--postgres", help="a PostgreSQL URL whose server may create a database, or 'auto'")
    ap.add_argument("--sqlite", action="store_true")
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()
    from bench._context import print_context

    print_context("bench_search_relevance")
    if args.postgres:
        from bench._node import Postgres

        pg = Postgres() if args.postgres == "auto" else None
        if pg:
            url = pg.new_database()
        else:
            import os

            import psycopg

            name = f"bench_relevance_{os.getpid()}"
            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            url = args.postgres.rsplit("/", 1)[0] + f"/{name}"
        try:
            run(url, args.show_misses)
        finally:
            if pg:
                pg.stop()
    else:
        run(None, args.show_misses)


if __name__ == "__main__":
    main()
