from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from saraban.drafting import demo as drafting_demo
from saraban.exchange.demo import setup_single as sbx_demo_single
from saraban.kernel import serving
from saraban.orgs import demo, directory
from saraban.orgs.actions import load_directory


class Command(BaseCommand):
    help = "Set up the data directory with the demo ministry and serve it (gunicorn + worker) on 127.0.0.1."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) + 1))
        parser.add_argument("--setup-only", action="store_true", help="prepare the data directory, do not serve")
        parser.add_argument("--federated", action="store_true",
                            help="two nodes linked by SBX: A on --port ($SARABAN_HOME/a), B on +1 ($SARABAN_HOME/b)")

    def handle(self, *args: object, **opts: object) -> None:
        if opts["federated"]:
            from saraban.exchange import demo as sbx_demo

            sys.exit(sbx_demo.run_federated(settings.HOME, int(opts["port"]), int(opts["workers"]),  # type: ignore[arg-type]
                                            setup_only=bool(opts["setup_only"])))
        call_command("migrate", verbosity=0, interactive=False)
        data = directory.read(directory.DEMO_FILE)
        load_directory(data, demo=True)
        seeded = demo.seed_intake()
        drafting_demo.setup_signing()  # TEST PKI, signing keys of the demo's executives, agency seals
        sbx_config = sbx_demo_single(settings.HOME)  # SBX between the demo's agencies on this node (in-process)
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
            f"  exchange (SBX): the demo's agencies send letters to each other from the letter page ({sbx_config})",
            "  stop with Ctrl-C",
            "",
        ]
        if opts["setup_only"]:
            print("\n".join(lines))
            return
        sys.exit(serving.run("127.0.0.1", int(opts["port"]), workers=int(opts["workers"]), ready=lines))  # type: ignore[arg-type]
