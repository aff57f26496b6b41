"""``saraban mail …``: run the SMTP receiver, poll the IMAP mailbox, send queued mail, show the health."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saraban.kernel.errors import SarabanError


def _out(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1, default=str), flush=True)


class Command(BaseCommand):
    help = "The central mailbox: smtpd, poll, send, process, import, health."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="cmd", required=True)
        s = sub.add_parser("smtpd", help="run the built-in SMTP receiver")
        s.add_argument("--host", default="127.0.0.1")
        s.add_argument("--port", type=int, default=2525)
        p = sub.add_parser("poll", help="read the IMAP mailboxes once (all enabled, or one address)")
        p.add_argument("address", nargs="?")
        sub.add_parser("send", help="send the queued e-mails that are due")
        sub.add_parser("process", help="examine received mail not yet examined")
        i = sub.add_parser("import", help="keep .eml files as received for an agency (a relay's spool, tests)")
        i.add_argument("agency")
        i.add_argument("files", nargs="+")
        sub.add_parser("health", help="last poll, queue and errors per mailbox")

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            getattr(self, "do_" + o["cmd"])(o)
        except SarabanError as exc:
            raise CommandError(f"[{exc.code}] {exc.message_th} / {exc.message_en}") from exc

    def do_smtpd(self, o: dict[str, Any]) -> None:
        from saraban.mail import smtpd

        def ready(ctl: Any) -> None:
            print(f"saraban mail: SMTP receiver on {o['host']}:{o['port']}", flush=True)

        smtpd.serve(o["host"], int(o["port"]), ready=ready)

    def do_poll(self, o: dict[str, Any]) -> None:
        from saraban.mail import poller
        from saraban.mail.models import MailAccount

        accounts = MailAccount.objects.filter(enabled=True, inbound="imap")
        if o.get("address"):
            accounts = accounts.filter(address__iexact=o["address"])
        out = {}
        for acc in accounts:
            r = poller.poll(acc)
            out[acc.address] = {"taken": r.taken, "stored": r.stored, "error": r.error, "busy": r.busy,
                                "too_large": r.too_large}
        _out(out)
        if any(v["error"] for v in out.values()):
            sys.exit(1)

    def do_send(self, o: dict[str, Any]) -> None:
        from saraban.mail import sender

        _out(sender.deliver_due(limit=10_000))

    def do_process(self, o: dict[str, Any]) -> None:
        from saraban.mail import pipeline

        _out(pipeline.process_pending(limit=100_000))

    def do_import(self, o: dict[str, Any]) -> None:
        from saraban.mail import pipeline
        from saraban.orgs.models import Agency

        agency = Agency.objects.filter(code=o["agency"]).first()
        if agency is None:
            raise CommandError(f"no agency {o['agency']!r}")
        rows = [pipeline.accept(Path(f).read_bytes(), [agency], source="smtp", envelope_to=agency.central_email)[0]
                for f in o["files"]]
        _out([{"id": r.pk, "status": type(r).objects.get(pk=r.pk).status} for r in rows])

    def do_health(self, o: dict[str, Any]) -> None:
        from saraban.mail import health

        _out(health.report())
