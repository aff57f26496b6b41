from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from saraban.audit.models import AuditEvent
from saraban.audit.verify import verify


class Command(BaseCommand):
    help = ("Audit log: `audit verify` checks the hash chain (exit 1 naming any edited, deleted or reordered "
            "event); `audit tail [N]`.")

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="op", required=True)
        sub.add_parser("verify")
        t = sub.add_parser("tail")
        t.add_argument("n", nargs="?", type=int, default=20)

    def handle(self, *args: object, **opts: object) -> None:
        if opts["op"] == "tail":
            for ev in reversed(list(AuditEvent.objects.order_by("-seq")[: int(opts["n"])])):  # type: ignore[arg-type]
                self.stdout.write(
                    f"#{ev.seq} {ev.at.isoformat()} {ev.actor_name:<14} {ev.action} {ev.object_type}:{ev.object_id}"
                )
            return
        report = verify()
        if report.ok:
            self.stdout.write(f"OK: {report.checked} events, chain intact / บันทึกการตรวจสอบครบถ้วน ไม่ถูกแก้ไข")
            return
        for p in report.problems:
            where = f"#{p.seq}" if p.seq is not None else "head"
            self.stdout.write(f"FAIL {where} {p.kind}: {p.message}")
        self.stdout.write(
            f"FAILED: {len(report.problems)} problem(s) in {report.checked} events / พบการแก้ไขบันทึกการตรวจสอบ"
        )
        sys.exit(1)
