from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from saraban.kernel.errors import SarabanError
from saraban.storage import keys, maintenance
from saraban.storage.actions.keys import rotate_key
from saraban.storage.management.progress import Progress


class Command(BaseCommand):
    help = ("Master keys for encryption at rest: `keys status`; `keys rotate [--version N]` makes a new master "
            "key version current (new files use it at once, old ones stay readable); `keys rewrap` moves every "
            "data key to the current version without touching the ciphertext (and gives files of the old scheme "
            "keyed names). Run it after rotating; both run while Saraban serves.")

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="op", required=True)
        sub.add_parser("status")
        r = sub.add_parser("rotate")
        r.add_argument("--version", type=int, help="activate this version (it must exist in the key source)")
        w = sub.add_parser("rewrap")
        w.add_argument("--batch", type=int, default=200)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, f"_{opts['op']}")(opts)
        except SarabanError as exc:
            raise CommandError(f"[{exc.code}] {exc.message_th} / {exc.message_en} {exc.details or ''}") from exc

    def _status(self, opts: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(maintenance.key_status(), indent=1))

    def _rotate(self, opts: dict[str, Any]) -> None:
        master = keys.master_keys()
        version = opts["version"] or max([keys.current_version(), *master.versions()]) + 1
        if version not in master.versions():
            master.create(version)
        row = rotate_key(None, version)
        self.stdout.write(f"master key version {row.version} is current ({row.kms}, fingerprint {row.fingerprint}); "
                          "run `saraban keys rewrap` to move existing data keys to it")

    def _rewrap(self, opts: dict[str, Any]) -> None:
        progress = Progress(self.stdout)
        done = maintenance.rewrap_all(batch=opts["batch"], progress=lambda d, t: progress("rewrap", d, t))
        self.stdout.write(f"{done} data keys wrapped with master key version {keys.current_version()}")
