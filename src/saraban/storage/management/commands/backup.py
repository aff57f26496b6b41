from __future__ import annotations

import json
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from saraban.kernel.errors import SarabanError
from saraban.storage.management.progress import Progress
from saraban.storage.models import Backup


class Command(BaseCommand):
    help = ("Backups in a second place: `backup --to DIR|s3://bucket/prefix` writes a snapshot (database, blobs "
            "copied incrementally, audit chain head, manifest with hashes); `backup verify DIR [--snapshot ID] "
            "[--deep]` proves it restorable; `backup list [DIR]` lists snapshots (or recent runs).")

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("op", nargs="?", choices=["run", "verify", "list"], default="run")
        parser.add_argument("location", nargs="?", help="the backup location (verify, list)")
        parser.add_argument("--to", help="where to back up (default SARABAN_BACKUP_TO)")
        parser.add_argument("--snapshot", help="which snapshot (default: the latest)")
        parser.add_argument("--deep", action="store_true", help="verify: restore the blobs too and check each")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, f"_{opts['op']}")(opts)
        except SarabanError as exc:
            raise CommandError(f"[{exc.code}] {exc.message_th} / {exc.message_en} {exc.details or ''}") from exc

    def _run(self, opts: dict[str, Any]) -> None:
        from saraban.storage.backup.run import backup

        where = opts["to"] or opts["location"] or settings.SARABAN_BACKUP_TO
        if not where:
            raise CommandError("ระบุที่เก็บข้อมูลสำรอง / give --to DIR or s3://bucket/prefix")
        run = backup(where, progress=Progress(self.stdout))
        if opts["json"]:
            self.stdout.write(json.dumps({"snapshot": run.snapshot, "blobs": run.blobs, "copied": run.blobs_copied,
                                          "bytes": run.bytes_copied, "error": run.error}))
            return
        self.stdout.write(f"สำรองข้อมูลแล้ว / backed up: snapshot {run.snapshot} → {run.target}\n"
                          f"  {run.blobs} blobs, {run.blobs_copied} copied ({run.bytes_copied / 1e6:.1f} MB), "
                          f"manifest sha256 {run.manifest_sha256}")
        if run.error:
            self.stdout.write(f"  WARNING: {run.error}")
            sys.exit(1)

    def _verify(self, opts: dict[str, Any]) -> None:
        from saraban.storage.backup.check import verify_backup

        where = opts["location"] or opts["to"] or settings.SARABAN_BACKUP_TO
        if not where:
            raise CommandError("ระบุที่เก็บข้อมูลสำรอง / give the backup location")
        found = verify_backup(where, snapshot=opts["snapshot"], deep=opts["deep"], progress=Progress(self.stdout))
        if opts["json"]:
            self.stdout.write(json.dumps({"snapshot": found.snapshot, "ok": found.ok, "problems": found.problems,
                                          "blobs": found.blobs, "restored": found.restored}, ensure_ascii=False))
        elif found.ok:
            r = found.restored
            self.stdout.write(f"OK: snapshot {found.snapshot} is restorable / กู้คืนได้: {found.blobs} blobs "
                              f"({found.bytes / 1e6:.1f} MB) match, audit chain intact to #{r.get('audit_seq')}, "
                              "every table has its rows")
        else:
            for p in found.problems:
                self.stdout.write(f"FAIL {p}")
        if not found.ok:
            sys.exit(1)

    def _list(self, opts: dict[str, Any]) -> None:
        where = opts["location"] or opts["to"]
        if where:
            from saraban.storage.backup.targets import open_target

            for sid in open_target(where).snapshots():
                self.stdout.write(sid)
            return
        for run in Backup.objects.order_by("-started_at")[:20]:
            self.stdout.write(f"{run.started_at.isoformat()} {run.status:<7} {run.snapshot or '-':<24} "
                              f"{run.blobs_copied}/{run.blobs} copied {'(scheduled) ' if run.scheduled else ''}"
                              f"{run.target} {run.error}")
