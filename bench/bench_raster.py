"""Page images of hostile pages: time and peak memory of one ``page_png`` call.

    .venv/bin/python bench/bench_raster.py [--points 5000] [--width 100000]

A one-page letter whose page is stretched to ``--points`` × ``--points`` (5000 pt is 69 inches a side),
drawn as ``…/page/1.png?w=<width>`` would draw it.  Each run is a fresh process, so the peak resident
memory (``ru_maxrss``) is the drawing's own.  The figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one(points: float, width: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    import pikepdf
    from tests.fixtures import make_pdf

    from saraban.letterpress import raster

    with pikepdf.open(io.BytesIO(make_pdf())) as pdf:
        page = pdf.pages[0].obj
        page["/MediaBox"] = [0, 0, points, points]
        if "/CropBox" in page:
            del page["/CropBox"]
        out = io.BytesIO()
        pdf.save(out)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    png = raster.page_png(out.getvalue(), 1, width=width)
    took = time.perf_counter() - start
    grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024
    print(f"page {points:.0f} pt, ?w={width}: {took * 1000:.0f} ms, peak memory +{grew} MB, PNG {len(png)} bytes")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=float, default=5000)
    ap.add_argument("--width", type=int, default=100_000)
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        one(args.points, args.width)
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench._context
    from bench._context import print_context

    print_context("bench_raster")
    for points, width in ((595, 900), (595, args.width), (args.points, 900), (args.points, args.width)):
        subprocess.run([sys.executable, __file__, "--one", "--points", str(points), "--width", str(width)],
                       check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
