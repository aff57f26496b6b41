"""``saraban tasks``: the background queue — ``list`` what is stuck or failed, ``retry`` it, ``recover`` once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from saraban.ops import taskqueue


class Command(BaseCommand):
    help = ("Background tasks: `tasks list` shows stuck and failed work; `tasks retry [ID ...]` runs it again now "
            "(all that failed or is stuck, or the named tasks); `tasks recover` does what the periodic job does.")

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="op", required=True)
        sub.add_parser("list")
        r = sub.add_parser("retry")
        r.add_argument("ids", nargs="*")
        sub.add_parser("recover")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["op"] == "recover":
            self.stdout.write(str(taskqueue.recover()))
            return
        if opts["op"] == "retry":
            done = taskqueue.retry(None, opts["ids"] or None)
            self.stdout.write(f"requeued {done['tasks']} task(s), {done['notices']} notice(s) / "
                              f"ส่งกลับเข้าคิว {done['tasks']} งาน แจ้งเตือน {done['notices']} รายการ")
            return
        h = taskqueue.health()
        self.stdout.write(f"ready {h.counts['READY']}  running {h.counts['RUNNING']}  failed {h.counts['FAILED']}  "
                          f"notices failed {h.outbound_failed}  to resend {h.outbound_pending}")
        for label, rows in (("stuck", h.stuck), ("failed, will retry", h.waiting), ("gave up", h.gave_up)):
            for r in rows:
                self.stdout.write(f"{label:<18} {r.pk} {r.task_path} attempts={taskqueue.attempts_of(r)} "
                                  f"{(r.exception_class_path or '').rsplit('.', 1)[-1]}")
