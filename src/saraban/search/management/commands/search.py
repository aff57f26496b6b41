"""``saraban search reindex`` / ``check`` / ``query``: rebuild the search index, compare it with the data."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from saraban.search import index
from saraban.search.backends import backend


class Progress:
    """A one-line progress bar on a terminal (plain lines elsewhere)."""

    def __init__(self, out: Any, label: str) -> None:
        self.out, self.label, self.started, self.last = out, label, time.monotonic(), 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.5:
            return
        self.last = now
        width = 30
        filled = int(width * done / total) if total else width
        rate = done / max(now - self.started, 1e-6)
        line = f"{self.label} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} ({rate:,.1f}/s)"
        if self.out.isatty():
            self.out.write("\r" + line, ending="")
            if done >= total:
                self.out.write("")
        else:
            self.out.write(line)


class Command(BaseCommand):
    help = ("Search index: `search reindex [--rebuild-index]` rebuilds every letter's row (with a progress bar), "
            "and then the index structures; `search check` "
            "compares the index with the data (exit 1 naming letters missing or stale); `search stats`.")

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="op", required=True)
        r = sub.add_parser("reindex")
        r.add_argument("--batch", type=int, default=index.BATCH)
        r.add_argument("--rebuild-index", action="store_true",
                       help="then build the index structures anew (PostgreSQL: REINDEX CONCURRENTLY): after "
                            "rewriting most rows of a large database")
        sub.add_parser("check")
        sub.add_parser("stats")

    def handle(self, *args: object, **opts: Any) -> None:
        op = opts["op"]
        if op == "reindex":
            started = time.monotonic()
            n = index.reindex(progress=Progress(self.stdout, "reindex"), batch=int(opts["batch"]))
            took = time.monotonic() - started
            self.stdout.write(f"OK: {n:,} letters indexed in {took:.1f} s / สร้างดัชนีค้นหาใหม่ {n:,} ฉบับ")
            if opts["rebuild_index"]:
                started = time.monotonic()
                self.stdout.write("rebuilding the index structures… / กำลังสร้างโครงสร้างดัชนีใหม่…")
                index.rebuild_structures()
                took = time.monotonic() - started
                self.stdout.write(f"OK: index structures rebuilt in {took:.1f} s / สร้างโครงสร้างดัชนีใหม่แล้ว")
        elif op == "check":
            h = index.check(progress=Progress(self.stdout, "check"))
            if h.ok:
                behind = (f" ({h.behind:,} being written / กำลังเขียน {h.behind:,} ฉบับ)" if h.behind else "")
                self.stdout.write(f"OK: {h.letters:,} letters, {h.rows:,} index rows, all current "
                                  f"/ ดัชนีค้นหาตรงกับข้อมูล{behind}")
                return
            for lid in h.missing[:20]:
                self.stdout.write(f"MISSING {lid}")
            for lid in h.stale[:20]:
                self.stdout.write(f"STALE {lid}")
            self.stdout.write(f"FAILED: {len(h.missing)} missing, {len(h.stale)} stale, {h.orphans} orphan rows "
                              "/ ดัชนีค้นหาไม่ตรงกับข้อมูล: สั่ง `saraban search reindex`")
            sys.exit(1)
        elif op == "stats":
            from saraban.search.models import SearchDoc

            b = backend()
            self.stdout.write(f"backend {b.name}: {SearchDoc.objects.count():,} rows, {b.disk_bytes() / 1e6:,.1f} MB")
        else:  # pragma: no cover - argparse guards it
            raise CommandError(op)
