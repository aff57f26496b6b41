from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from saraban.kernel import schema
from saraban.ops import supervisor


class Command(BaseCommand):
    help = "Serve an existing data directory: gunicorn (WSGI) on 127.0.0.1 plus the background worker."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) + 1))
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--no-worker", action="store_true", help="do not start the background worker")
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args: object, **opts: object) -> None:
        if not opts["no_migrate"]:
            schema.migrate()
        url = f"http://{opts['host']}:{opts['port']}/"
        lines = [f"Saraban is serving {settings.HOME} at {url}  (API: {url}api/v1/, docs: {url}api/v1/docs)"]
        sys.exit(supervisor.run(str(opts["host"]), int(opts["port"]), workers=int(opts["workers"]),  # type: ignore[arg-type]
                                threads=int(opts["threads"]), worker=not opts["no_worker"], ready=lines))  # type: ignore[arg-type]
