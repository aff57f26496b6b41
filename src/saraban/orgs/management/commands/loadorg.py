from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from saraban.orgs import directory
from saraban.orgs.actions import load_directory


class Command(BaseCommand):
    help = "Load agencies, units, positions and people from a TOML file (default: the demo ministry)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("path", nargs="?", help="TOML file (default: the demo ministry)")

    def handle(self, *args: object, path: str | None = None, **opts: object) -> None:
        demo = path is None
        counts = load_directory(directory.read(Path(path) if path else directory.DEMO_FILE), demo=demo)
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
