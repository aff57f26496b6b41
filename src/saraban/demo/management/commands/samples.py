"""``saraban samples letters --out DIR``: write one signed sample letter of every kind and its text.

A thin wrapper around :func:`saraban.demo.samples.write_samples` (which needs no Django).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Write sample output. `samples letters --out DIR`: one signed letter of every kind plus its text."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        letters = sub.add_parser("letters", help="one signed sample letter of every kind, with <name>.txt")
        letters.add_argument("--out", required=True, help="directory to write into (created if missing)")
        letters.add_argument("--pki", default=None, help="test PKI directory (default: OUT/test-pki)")
        letters.add_argument("--base-url", default="https://saraban.example/verify",
                             help="verification URL prefix put in the QR codes")

    def handle(self, *args: Any, **options: Any) -> None:
        from saraban.demo.samples import write_samples

        files = write_samples(options["out"], pki_dir=options.get("pki"), base_url=options["base_url"])
        for f in files:
            self.stdout.write(f"{f.pdf}  {f.txt.name}  PAdES {f.level}")
        self.stdout.write(self.style.SUCCESS(f"{len(files)} sample letters written (TEST PKI, not for production)"))
