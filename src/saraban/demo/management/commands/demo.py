"""``saraban demo``: the demo ministry on this machine, and the demo's set-up steps one by one.

- ``saraban demo [--port P] [--setup-only]``: set up the data directory (organisation, sample letters in the
  registrar's queue, TEST signing keys, SBX between the demo's agencies on this node) and serve it.
- ``saraban demo --federated [--port P] [--setup-only]``: two nodes linked by SBX (see :mod:`saraban.demo.exchange`).
- ``saraban demo signing``: the demo's TEST PKI and signing keys, on an existing installation.
- ``saraban demo federation ROOT --node NAME=PORT:code,code …``: write a TEST federation (PKI, signed directory,
  node configs).
- ``saraban demo node-setup --hosted CODES [--seed]``: one node's share (used by ``--federated``).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from saraban.demo import content, federation, signing
from saraban.demo import exchange as demo_exchange
from saraban.demo import tasks as demo_tasks
from saraban.kernel import schema, tasks
from saraban.kernel.errors import SarabanError
from saraban.ops import supervisor
from saraban.orgs import directory
from saraban.orgs.actions import load_directory


def _out(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1, default=str), flush=True)


class Command(BaseCommand):
    help = "Set up the data directory with the demo ministry and serve it (gunicorn + worker) on 127.0.0.1."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--smtp-port", type=int, default=2525,
                            help="the central mailbox's SMTP receiver on 127.0.0.1 (0: none)")
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) + 1))
        parser.add_argument("--setup-only", action="store_true", help="prepare the data directory, do not serve")
        parser.add_argument("--federated", action="store_true",
                            help="two nodes linked by SBX: A on --port ($SARABAN_HOME/a), B on +1 ($SARABAN_HOME/b)")
        sub = parser.add_subparsers(dest="what", required=False)
        sub.add_parser("signing", help="create the demo TEST PKI and register its keys")
        f = sub.add_parser("federation", help="make a TEST federation: PKI, signed directory, node configs")
        f.add_argument("root")
        f.add_argument("--node", action="append", required=True,
                       help="NAME=PORT:code,code… e.g. a=8443:mdes,mdes-ops  (repeat per node)")
        f.add_argument("--org-file", help="agencies (TOML as for loadorg; default: the demo ministry)")
        f.add_argument("--serial", type=int, default=1)
        ns = sub.add_parser("node-setup", help="(used by `saraban demo --federated`) set up this node's share")
        ns.add_argument("--hosted", required=True, help="agency codes this node hosts, comma separated")
        ns.add_argument("--seed", action="store_true", help="put the sample letters in the registrar's queue")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts.get("what"):
            try:
                getattr(self, "do_" + opts["what"].replace("-", "_"))(opts)
            except SarabanError as exc:
                raise CommandError(f"[{exc.code}] {exc.message_th} / {exc.message_en}") from exc
            return
        if opts["federated"]:
            sys.exit(demo_exchange.run_federated(settings.HOME, int(opts["port"]), int(opts["workers"]),
                                                 setup_only=bool(opts["setup_only"])))
        lines = self.set_up(int(opts["port"]), int(opts["smtp_port"]), seed_later=not opts["setup_only"])
        if opts["setup_only"]:
            print("\n".join(lines))
            return
        sys.exit(supervisor.run("127.0.0.1", int(opts["port"]), workers=int(opts["workers"]), ready=lines,
                                smtp_port=int(opts["smtp_port"]) or None))

    def set_up(self, port: int, smtp_port: int = 0, *, seed_later: bool = False) -> list[str]:
        """Prepare this data directory (idempotent); return what to tell the person who started the demo.
        ``seed_later``: the sample letters are put in the queue by the worker once the demo serves (a first
        start answers about 2 s sooner); else here."""
        schema.migrate()  # a new data directory starts from this machine's empty schema (saraban.kernel.schema)
        data = directory.read(directory.DEMO_FILE)
        load_directory(data, demo=True)
        if not seed_later:
            seeded = content.seed_intake()
        elif content.seeded():
            seeded = 0
        else:
            tasks.enqueue(demo_tasks.seed_samples)
            seeded = len(content.SAMPLES)
        signing.setup_signing()  # TEST PKI, signing keys of the demo's executives, agency seals
        sbx_config = demo_exchange.setup_single(settings.HOME)  # SBX between the demo's agencies (in-process)
        url = f"http://127.0.0.1:{port}/"
        return [
            "",
            "Saraban demo — ระบบสารบรรณอิเล็กทรอนิกส์ (ตัวอย่าง กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม)",
            f"  data directory: {settings.HOME}",
            f"  open:           {url}",
            f"  API:            {url}api/v1/   (OpenAPI: {url}api/v1/openapi.json)",
            f"  demo logins (password for all: {data['demo_password']}):",
            *(f"    {u:<14} {d}" for u, d in content.LOGINS),
            (f"  {seeded} sample letters are being put in the registrar's queue (by the worker, in a few seconds)"
             if seed_later else f"  {seeded} sample letters were put in the registrar's queue") if seeded else "",
            "  API token:      saraban token create registrar",
            f"  signing:        TEST certificates (not real) in {settings.SARABAN_TEST_PKI};"
            f" key PIN for demo signers: {signing.KEY_PASSWORD}",
            "                  draft as officer, review as ict-director, sign as permsec: /drafts/",
            "  sending:        a signed letter waits as ลงนามแล้ว รอส่ง; officer (its drafter) or permsec (its signer)"
            " sends it",
            "                  from the letter page or /exchange/awaiting/ (recipients pre-filled from เรียน and"
            " สำเนาส่ง)",
            f"  exchange (SBX): the demo's agencies send letters to each other from the letter page ({sbx_config})",
            *([f"  e-mail (SMTP):  127.0.0.1:{smtp_port} receives mail for the demo agencies' central addresses,",
               "                  e.g. saraban@ops.mdes.test (Office of the Permanent Secretary); see /mail/"]
              if smtp_port else []),
            "  stop with Ctrl-C",
            "",
        ]

    def do_signing(self, opts: dict[str, Any]) -> None:
        counts = signing.setup_signing()
        self.stdout.write(f"TEST PKI ready: {counts}")

    def do_node_setup(self, opts: dict[str, Any]) -> None:
        _out(demo_exchange.setup_node([c for c in opts["hosted"].split(",") if c], seed=opts["seed"]))

    def do_federation(self, opts: dict[str, Any]) -> None:
        org_file = Path(opts["org_file"]) if opts.get("org_file") else directory.DEMO_FILE
        agencies = federation.agencies_from_org(org_file)
        nodes = []
        for spec in opts["node"]:
            try:
                name, rest = spec.split("=", 1)
                port, codes = rest.split(":", 1)
                nodes.append(federation.NodeSpec(name, tuple(c for c in codes.split(",") if c), int(port)))
            except ValueError as exc:
                raise CommandError(f"bad --node {spec!r} (NAME=PORT:code,code…)") from exc
        root = Path(opts["root"])
        path = federation.create(root, nodes, agencies, serial=opts["serial"])
        _out({"directory": str(path), "nodes": {n.name: str(root / n.name / "node.toml") for n in nodes}})
