"""``saraban audit``: verify the chain (keyed links and signed checkpoints), seal a checkpoint, show the tail.

It lives in ``ops`` because checking checkpoints needs the agency seal and the TSA's trust (drafting, signing,
exchange), which the audit app itself sits below.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from saraban.audit.models import AuditEvent
from saraban.audit.verify import verify
from saraban.ops import checkpoints


class Command(BaseCommand):
    help = ("Audit log: `audit verify` checks the keyed hash chain and the signed checkpoints (exit 1 naming any "
            "edited, deleted, reordered or rewritten event); `audit checkpoint` seals the head now; `audit tail [N]`.")

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="op", required=True)
        v = sub.add_parser("verify")
        v.add_argument("--checkpoints", type=Path, default=None,
                       help="directory of checkpoints to check against (default: SARABAN_AUDIT_CHECKPOINT_DIR; "
                            "point it at the off-site copy)")
        c = sub.add_parser("checkpoint")
        c.add_argument("--force", action="store_true", help="seal even if the interval has not passed")
        t = sub.add_parser("tail")
        t.add_argument("n", nargs="?", type=int, default=20)

    def handle(self, *args: object, **opts: Any) -> None:
        if opts["op"] == "tail":
            for ev in reversed(list(AuditEvent.objects.order_by("-seq")[: int(opts["n"])])):
                self.stdout.write(
                    f"#{ev.seq} {ev.at.isoformat()} {ev.actor_name:<14} {ev.action} {ev.object_type}:{ev.object_id}"
                )
            return
        if opts["op"] == "checkpoint":
            try:
                cp = checkpoints.write(force=bool(opts["force"]))
            except checkpoints.NoSeal as exc:
                self.stderr.write(f"cannot seal: {exc}")
                sys.exit(1)
            self.stdout.write(f"sealed #{cp.seq} in {cp.path}" if cp else "nothing new to seal")
            return
        self._verify(opts.get("checkpoints"))

    def _verify(self, where: Path | None) -> None:
        report = verify()
        checkpoints.verify_against(report, where)
        sealed = checkpoints.latest(where)
        if report.ok:
            self.stdout.write(f"OK: {report.checked} events ({report.keyed} keyed), {report.checkpoints} signed "
                              "checkpoint(s) match / บันทึกการตรวจสอบครบถ้วน ไม่ถูกแก้ไข")
            if sealed is None or (report.checked and sealed.seq < report.checked):
                since = sealed.seq if sealed else 0
                self.stdout.write(f"NOTE: events after #{since} are not sealed by a checkpoint yet")
            return
        for p in report.problems:
            where_ = f"#{p.seq}" if p.seq is not None else "head"
            self.stdout.write(f"FAIL {where_} {p.kind}: {p.message}")
        self.stdout.write(
            f"FAILED: {len(report.problems)} problem(s) in {report.checked} events / พบการแก้ไขบันทึกการตรวจสอบ"
        )
        sys.exit(1)
