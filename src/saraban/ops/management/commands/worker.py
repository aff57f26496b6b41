from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background worker (receipt stamps, deliveries, indexing) and the periodic jobs."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--no-ticks", action="store_true",
                            help="do not run the periodic jobs (when `saraban tick` runs from a timer)")

    def handle(self, *args: object, **opts: object) -> None:
        if opts["batch"]:
            call_command("db_worker", "--queue-name", "*", "--interval", "0.5", "--no-startup-delay", "--no-reload",
                         "--batch")
            from saraban.kernel import followers

            for follower in followers.followers():  # what follows the work just done (the search index's rows)
                follower.job()
            return
        import os
        import sys

        from saraban.ops import worker

        worker.run(ticks=not opts["no_ticks"])
        # it ran its share of tasks (SARABAN_WORKER_MAX_TASKS): start afresh in this same process, so whatever
        # supervises it (systemd, a test) sees one long-lived worker
        os.execv(sys.executable, [sys.executable, "-m", "saraban.cli", *sys.argv[1:]])
