"""``saraban tick``: run the periodic jobs once (``saraban serve`` does this every few minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from saraban.kernel import periodic


class Command(BaseCommand):
    help = "Run the periodic jobs (daily digests, ...) once; each does only what is due"

    def handle(self, *args: Any, **opts: Any) -> None:
        for name, answer in periodic.run_all().items():
            self.stdout.write(f"{name}: {answer}")
