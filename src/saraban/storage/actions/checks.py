"""What ``saraban storage verify`` and ``saraban storage sweep`` found and did."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action

from ..models import Blob

MAX_LISTED = 500  # ids listed in one audit event; the counts are always complete


@dataclass
class Verification:
    """What ``saraban storage verify`` found."""

    checked: int = 0
    bytes: int = 0
    damaged: dict[int, str] = field(default_factory=dict)  # blob id -> corrupt | missing
    healed: list[int] = field(default_factory=list)  # marked damaged before, intact now (restored)
    orphans: int = 0

    @property
    def ok(self) -> bool:
        return not self.damaged


@action("storage.verify")
def record_verification(actor: Any, found: Verification) -> Verification:
    now = clock.now()
    for kind in ("corrupt", "missing"):
        ids = [i for i, k in found.damaged.items() if k == kind]
        for start in range(0, len(ids), 500):
            Blob.objects.filter(pk__in=ids[start:start + 500]).update(damage=kind, damaged_at=now)
    if found.healed:
        Blob.objects.filter(pk__in=found.healed).update(damage="", damaged_at=None)
    kinds = Counter(found.damaged.values())
    audit.record("storage.verify", actor=actor, object_type="storage.blob", object_id="*", data={
        "checked": found.checked, "bytes": found.bytes, "corrupt": kinds.get("corrupt", 0),
        "missing": kinds.get("missing", 0), "damaged_ids": sorted(found.damaged)[:MAX_LISTED],
        "healed": len(found.healed), "orphans": found.orphans,
    })
    return found


@action("storage.sweep")
def record_sweep(actor: Any, *, orphans: list[str], temporary: int) -> None:
    """Objects no row names (left by failed writes) and temporary files were removed from the store."""
    audit.record("storage.sweep", actor=actor, object_type="storage.blob", object_id="*",
                 data={"orphans": len(orphans), "temporary": temporary})
