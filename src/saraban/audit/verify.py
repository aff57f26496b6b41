"""Verification of the audit chain: edited, deleted, inserted or reordered events are reported.

Keyed links are checked with the chain key (:mod:`.keys`); without the key nobody — a DBA with the
triggers dropped included — can recompute them.  A plain (unkeyed) link after a keyed one is a
downgrade and fails.  Signed checkpoints outside the database catch a chain rewritten by someone who
has the key too (:mod:`saraban.ops.checkpoints`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import keys as chain_keys
from .chain import event_hash
from .models import GENESIS_HASH, AuditEvent, AuditHead


@dataclass
class Problem:
    seq: int | None
    kind: str  # edited | missing | reordered | head | key_missing | downgraded | checkpoint
    message: str


@dataclass
class Report:
    checked: int = 0
    keyed: int = 0
    problems: list[Problem] = field(default_factory=list)
    checkpoints: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _key_for(ev: AuditEvent, known: dict[str, bytes], keyed_seen: bool, report: Report) -> tuple[bytes | None, bool]:
    """The key ``ev`` was linked with (``None``: a plain link), and whether it may be checked at all."""
    if ev.key_id:
        key = known.get(ev.key_id)
        if key is None:
            report.problems.append(Problem(ev.seq, "key_missing", f"event #{ev.seq} was keyed with key {ev.key_id}, "
                                           "which is not in the key directory: it cannot be checked"))
            return None, False
        report.keyed += 1
        return key, True
    if keyed_seen:
        report.problems.append(Problem(ev.seq, "downgraded", f"event #{ev.seq} has a plain link after keyed "
                                       "events: the chain was recomputed without the key"))
    return None, True


def verify(batch: int = 5000) -> Report:
    report = Report()
    known = chain_keys.known()
    keyed_seen = False
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
            key, checkable = _key_for(ev, known, keyed_seen, report)
            keyed_seen = keyed_seen or bool(ev.key_id)
            recomputed = event_hash(
                seq=ev.seq, prev_hash=ev.prev_hash, key=key, uid=str(ev.uid), at=ev.at, actor_id=ev.actor_id,
                actor_name=ev.actor_name, action=ev.action, object_type=ev.object_type, object_id=ev.object_id,
                data=ev.data,
            )
            if checkable and recomputed != ev.hash:
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
