from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from saraban.kernel.errors import SarabanError
from saraban.storage.management.progress import Progress


class Command(BaseCommand):
    help = ("Rebuild a working system from a backup: `restore --from DIR|s3://bucket/prefix [--snapshot ID] "
            "[--keys DIR]` into the (empty) data directory SARABAN_HOME names, or the database DATABASE_URL names.")
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--from", dest="source", required=True)
        parser.add_argument("--snapshot", help="which snapshot (default: the latest)")
        parser.add_argument("--keys", type=Path, help="a directory holding the master key files to put in place")
        parser.add_argument("--no-blobs", action="store_true", help="restore the database only")
        parser.add_argument("--force", action="store_true", help="restore over a system that holds data")
        parser.add_argument("--json", action="store_true", help="print the result as JSON (last line)")

    def handle(self, *args: Any, **opts: Any) -> None:
        from saraban.storage.backup.restore import restore

        progress = Progress(sys.stderr if opts["json"] else self.stdout)
        try:
            done = restore(opts["source"], snapshot=opts["snapshot"], keys_from=opts["keys"],
                           copy_blobs=not opts["no_blobs"], force=opts["force"], progress=progress)
        except SarabanError as exc:
            raise CommandError(f"[{exc.code}] {exc.message_th} / {exc.message_en} {exc.details or ''}") from exc
        if opts["json"]:
            self.stdout.write(json.dumps(asdict(done), ensure_ascii=False))
        else:
            chain = "intact" if done.audit_ok else "FAILED"
            rows = "as recorded" if done.counts_ok else "DIFFER"
            self.stdout.write(f"กู้คืนแล้ว / restored snapshot {done.snapshot} into {settings.HOME}: "
                              f"{done.blobs} blobs ({done.blobs_copied} copied), audit chain to #{done.audit_seq} "
                              f"{chain}, rows {rows}")
            for p in done.audit_problems:
                self.stdout.write(f"  FAIL {p}")
            for table, (want, got) in done.count_differences.items():
                self.stdout.write(f"  FAIL {table}: {got} rows, the manifest says {want}")
        if not (done.audit_ok and done.counts_ok):
            sys.exit(1)
