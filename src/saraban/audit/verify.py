"""Verification of the audit chain: edited, deleted, inserted or reordered events are reported."""

from __future__ import annotations

from dataclasses import dataclass, field

from .chain import event_hash
from .models import GENESIS_HASH, AuditEvent, AuditHead


@dataclass
class Problem:
    seq: int | None
    kind: str  # edited | missing | reordered | head
    message: str


@dataclass
class Report:
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(batch: int = 5000) -> Report:
    report = Report()
    expected_seq = 1
    prev_hash = GENESIS_HASH
    last_seq = 0
    qs = AuditEvent.objects.order_by("seq")
    start = 0
    while True:
        rows = list(qs.filter(seq__gt=start)[:batch])
        if not rows:
            break
        for ev in rows:
            report.checked += 1
            if ev.seq != expected_seq:
                report.problems.append(
                    Problem(ev.seq, "missing", f"events {expected_seq}..{ev.seq - 1} are missing before #{ev.seq}")
                )
            recomputed = event_hash(
                seq=ev.seq, prev_hash=ev.prev_hash, uid=str(ev.uid), at=ev.at, actor_id=ev.actor_id,
                actor_name=ev.actor_name, action=ev.action, object_type=ev.object_type, object_id=ev.object_id,
                data=ev.data,
            )
            if recomputed != ev.hash:
                report.problems.append(Problem(ev.seq, "edited", f"event #{ev.seq} ({ev.action}) was edited"))
            if ev.prev_hash != prev_hash:
                report.problems.append(
                    Problem(ev.seq, "reordered", f"event #{ev.seq} does not follow the event before it")
                )
            prev_hash = ev.hash
            expected_seq = ev.seq + 1
            last_seq = ev.seq
        start = rows[-1].seq
    head = AuditHead.objects.filter(id=1).first()
    if head is not None:
        if head.last_seq != last_seq or head.last_hash != prev_hash:
            report.problems.append(
                Problem(None, "head", f"the log ends at #{last_seq} but its head records #{head.last_seq}: "
                        "events were removed from the end or added around the log")
            )
    elif last_seq:
        report.problems.append(Problem(None, "head", "the audit head row is missing"))
    return report
