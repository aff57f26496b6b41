from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from saraban.drafting import demo as drafting_demo
from saraban.kernel import serving
from saraban.orgs import demo, directory


class Command(BaseCommand):
    help = "Set up the data directory with the demo ministry and serve it (gunicorn + worker) on 127.0.0.1."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) + 1))
        parser.add_argument("--setup-only", action="store_true", help="prepare the data directory, do not serve")

    def handle(self, *args: object, **opts: object) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        data = directory.read(directory.DEMO_FILE)
        directory.load(data, demo=True)
        seeded = demo.seed_intake()
        drafting_demo.setup_signing()  # TEST PKI, signing keys of the demo's executives, agency seals
        url = f"http://127.0.0.1:{opts['port']}/"
        lines = [
            "",
            "Saraban demo — ระบบสารบรรณอิเล็กทรอนิกส์ (ตัวอย่าง กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม)",
            f"  data directory: {settings.HOME}",
            f"  open:           {url}",
            f"  API:            {url}api/v1/   (OpenAPI: {url}api/v1/openapi.json)",
            f"  demo logins (password for all: {data['demo_password']}):",
            *(f"    {u:<14} {d}" for u, d in demo.LOGINS),
            f"  {seeded} sample letters were put in the registrar's queue" if seeded else "",
            "  API token:      saraban token create registrar",
            f"  signing:        TEST certificates (not real) in {settings.SARABAN_TEST_PKI};"
            f" key PIN for demo signers: {drafting_demo.KEY_PASSWORD}",
            "                  draft as officer, review as ict-director, sign as permsec: /drafts/",
            "  stop with Ctrl-C",
            "",
        ]
        if opts["setup_only"]:
            print("\n".join(lines))
            return
        sys.exit(serving.run("127.0.0.1", int(opts["port"]), workers=int(opts["workers"]), ready=lines))  # type: ignore[arg-type]
