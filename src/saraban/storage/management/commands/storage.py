from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand

from saraban.storage import maintenance
from saraban.storage.management.progress import Progress


class Command(BaseCommand):
    help = ("Blob store: `storage verify` reads back every blob, checks its SHA-256 and records what it found "
            "(exit 1 if any is damaged or missing); `storage sweep [--grace-hours H]` removes objects no row names "
            "and stale temporary files.")

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="op", required=True)
        v = sub.add_parser("verify")
        v.add_argument("--json", action="store_true")
        s = sub.add_parser("sweep")
        s.add_argument("--grace-hours", type=float, default=maintenance.SWEEP_GRACE / 3600)

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["op"] == "sweep":
            removed, temporary = maintenance.sweep(grace=opts["grace_hours"] * 3600)
            self.stdout.write(f"removed {len(removed)} unreferenced objects and {temporary} temporary files")
            return
        progress = Progress(sys.stderr if opts["json"] else self.stdout)
        found = maintenance.verify_all(progress=lambda done, total: progress("verify", done, total))
        if opts["json"]:
            self.stdout.write(json.dumps({"ok": found.ok, "checked": found.checked, "bytes": found.bytes,
                                          "damaged": {str(k): v for k, v in found.damaged.items()},
                                          "orphans": found.orphans}))
        elif found.ok:
            self.stdout.write(f"OK: {found.checked} blobs ({found.bytes / 1e6:.1f} MB) match their SHA-256 / "
                              f"ไฟล์ครบถ้วนไม่ถูกแก้ไข; {found.orphans} unreferenced objects")
        else:
            for blob_id, kind in sorted(found.damaged.items()):
                self.stdout.write(f"FAIL blob {blob_id}: {kind}")
            self.stdout.write(f"FAILED: {len(found.damaged)} of {found.checked} blobs damaged / พบไฟล์เสียหาย")
        if not found.ok:
            sys.exit(1)
