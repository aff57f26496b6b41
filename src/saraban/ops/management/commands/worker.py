from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background worker (receipt stamps, deliveries, indexing)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")

    def handle(self, *args: object, **opts: object) -> None:
        extra = ["--batch"] if opts["batch"] else []
        call_command("db_worker", "--queue-name", "*", "--interval", "0.5", "--no-startup-delay", "--no-reload", *extra)
