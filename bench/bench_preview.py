"""The editor's live preview while someone types: server time of one preview (``POST /drafts/<id>/preview/``'s
work: the editor's form to content, layout with WeasyPrint, page images).

    .venv/bin/python bench/bench_preview.py [--keystrokes 20]

A fresh data directory with the demo organisation; a two-page memo typed one character at a time at the end
of its body (each keystroke a new text: only the last page changes), then the same texts again (an undo, a
reload).  Prints the median and 90th percentile in milliseconds.  The figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keystrokes", type=int, default=20)
    args = parser.parse_args()
    os.environ["SARABAN_HOME"] = tempfile.mkdtemp(prefix="bench-preview-")
    os.environ["SARABAN_FAST_PASSWORDS"] = "1"
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saraban.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command

    from saraban.drafting import actions
    from saraban.drafting.preview import preview

    call_command("migrate", verbosity=0)
    call_command("loadorg", verbosity=0)
    officer = get_user_model().objects.get(username="officer")
    body = "ด้วยศูนย์เทคโนโลยีสารสนเทศและการสื่อสารมีความประสงค์จะขอข้อมูลสถิติการใช้บริการดิจิทัลภาครัฐ " * 30
    draft = actions.create_draft(officer, kind="memo", form={"subject": "ขอความอนุเคราะห์ข้อมูลสถิติ", "body": body})
    texts = [body + "ก" * i for i in range(1, args.keystrokes + 1)]

    def run(label: str) -> None:
        times, pages = [], 0
        for text in texts:
            start = time.perf_counter()
            p = preview(draft, actions.prepare_content(draft, form={"subject": "ขอความอนุเคราะห์ข้อมูลสถิติ",
                                                                     "body": text}))
            times.append((time.perf_counter() - start) * 1000)
            pages = len(p.images)
        times.sort()
        print(f"{label}: median {statistics.median(times):.0f} ms, p90 {times[int(len(times) * 0.9) - 1]:.0f} ms"
              f" ({len(times)} previews of {pages} pages)")

    preview(draft, actions.prepare_content(draft, form={"subject": "x", "body": body}))  # warm the fonts
    cache.clear()
    run("typing, every keystroke a new text")
    run("the same texts again (undo, reload)")


if __name__ == "__main__":
    main()
