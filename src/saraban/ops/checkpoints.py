"""Signed checkpoints of the audit chain, kept outside the database.

Every ``SARABAN_AUDIT_CHECKPOINT_SECONDS`` (default 3600; a periodic job of ``saraban tick``) the head of the
chain — the last event's number and hash, which depend on every event before it — is written to
``SARABAN_AUDIT_CHECKPOINT_DIR`` (default ``SARABAN_HOME/audit-checkpoints``) as a small JSON statement and a
CAdES detached signature (``.p7s``) sealed with the agency seal and time-stamped by the TSA.  ``saraban audit
verify`` checks each checkpoint's signature and that the event it names still has the hash it sealed: a
chain rewritten in the database — even one recomputed with the chain key — no longer matches.

Copy the checkpoint files off the machine as they appear (docs/security.md): whoever controls both the
database and this directory could replace both.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from django.conf import settings
from django.db import transaction

from saraban.audit.models import AuditEvent, AuditHead
from saraban.audit.verify import Problem, Report
from saraban.exchange.cades import CmsInvalid, Trust
from saraban.exchange.cades import verify as verify_cms
from saraban.kernel import clock
from saraban.orgs.models import Agency

FORMAT = "saraban-audit-checkpoint/1"


def directory() -> Path:
    return Path(settings.SARABAN_AUDIT_CHECKPOINT_DIR)


def interval() -> dt.timedelta:
    return dt.timedelta(seconds=float(os.environ.get("SARABAN_AUDIT_CHECKPOINT_SECONDS", "3600")))


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: dt.datetime
    key_id: str
    agency: str
    path: Path

    @property
    def signature_path(self) -> Path:
        return self.path.with_suffix(".p7s")


class NoSeal(Exception):
    """No agency seal is set up to sign checkpoints with."""


def seal_agency() -> Agency:
    code = settings.SARABAN_AUDIT_SEAL_AGENCY
    qs = Agency.objects.filter(code=code) if code else Agency.objects.filter(hosted=True).order_by("code")
    agency = qs.first()
    if agency is None:
        raise NoSeal(f"no agency {code!r} to seal audit checkpoints with")
    return agency


def sign(data: bytes, agency: Agency) -> bytes:
    """A CAdES detached signature over ``data`` with the agency seal (its registered key), time-stamped by the
    deployment's TSA when one is configured."""
    from saraban.drafting import keys as seal_keys  # pyHanko on first use, not when every command starts
    from saraban.drafting import trust

    try:
        key = seal_keys.seal_key(agency)
    except Exception as exc:  # NoSealKey: the deployment has not registered its seal yet
        raise NoSeal(str(exc)) from exc
    source, expected = seal_keys.unlock(key, None)
    stamper = trust.config().trust.timestamper
    with source.open() as signer:
        if signer.signing_cert is None:
            raise NoSeal("the seal key has no certificate")
        cert = x509.load_der_x509_certificate(signer.signing_cert.dump())
        if not expected(cert):
            raise NoSeal("the seal key no longer holds its registered certificate")
        cms = asyncio.run(signer.async_sign_general_data(data, "sha256", detached=True, timestamper=stamper))
    return cms.dump()


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def latest(where: Path | None = None) -> Checkpoint | None:
    found = load_all(where)
    return found[-1] if found else None


def write(*, force: bool = False) -> Checkpoint | None:
    """Seal the chain's head now if it moved since the last checkpoint and the interval has passed."""
    with transaction.atomic():
        head = AuditHead.objects.filter(id=1).first()
        last_event = AuditEvent.objects.filter(seq=head.last_seq).first() if head else None
    if head is None or last_event is None:
        return None
    now = clock.now()
    last = latest()
    if last is not None and (last.seq == head.last_seq or (not force and now - last.at < interval())):
        return None
    agency = seal_agency()
    statement = {"format": FORMAT, "seq": head.last_seq, "hash": head.last_hash, "at": now.isoformat(),
                 "key_id": last_event.key_id or "", "agency": agency.code,
                 "previous": {"seq": last.seq, "hash": last.hash} if last else None}
    body = json.dumps(statement, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    signature = sign(body, agency)
    where = directory()
    where.mkdir(parents=True, exist_ok=True)
    path = where / f"checkpoint-{head.last_seq:012d}-{clock.to_bkk(now):%Y%m%dT%H%M%S}.json"
    _write_atomic(path.with_suffix(".p7s"), signature)
    _write_atomic(path, body)
    fd = os.open(where, os.O_RDONLY)
    try:
        os.fsync(fd)  # the directory entries too: a checkpoint survives a power cut once written
    finally:
        os.close(fd)
    return Checkpoint(head.last_seq, head.last_hash, now, last_event.key_id or "", agency.code, path)


def load_all(where: Path | None = None) -> list[Checkpoint]:
    where = where or directory()
    out = []
    for path in sorted(where.glob("checkpoint-*.json")) if where.is_dir() else []:
        try:
            s = json.loads(path.read_bytes())
            out.append(Checkpoint(int(s["seq"]), str(s["hash"]), dt.datetime.fromisoformat(s["at"]),
                                  str(s.get("key_id", "")), str(s.get("agency", "")), path))
        except (ValueError, KeyError, TypeError):
            out.append(Checkpoint(-1, "", clock.now(), "", "", path))  # reported as unreadable by verify
    return sorted(out, key=lambda c: (c.seq, c.at))


def _trust() -> Trust:
    from saraban.drafting import trust

    t = trust.config().trust
    return Trust(roots=tuple(t.trust_roots), intermediates=tuple(t.other_certs))


def verify_against(report: Report, where: Path | None = None) -> None:
    """Check every checkpoint's seal and that the event it names still has the hash it sealed."""
    t = _trust()
    for cp in load_all(where):
        name = cp.path.name
        if cp.seq < 0:
            report.problems.append(Problem(None, "checkpoint", f"{name} is not a readable checkpoint"))
            continue
        try:
            verify_cms(cp.path.read_bytes(), cp.signature_path.read_bytes(), trust=t)
        except (OSError, CmsInvalid, ValueError) as exc:
            reason = getattr(exc, "reason", type(exc).__name__)
            report.problems.append(Problem(cp.seq, "checkpoint", f"{name}: the seal does not verify ({reason})"))
            continue
        report.checkpoints += 1
        ev = AuditEvent.objects.filter(seq=cp.seq).first()
        if ev is None:
            report.problems.append(Problem(cp.seq, "checkpoint", f"event #{cp.seq}, sealed by {name}, is missing: "
                                           "the log was cut back"))
        elif ev.hash != cp.hash:
            report.problems.append(Problem(cp.seq, "checkpoint", f"event #{cp.seq} no longer has the hash sealed "
                                           f"by {name} at {cp.at.isoformat()}: the log was rewritten"))


def periodic_job() -> str:
    try:
        cp = write()
    except NoSeal as exc:
        return f"not sealed: {exc}"
    return f"sealed #{cp.seq} in {cp.path.name}" if cp else "nothing new to seal"
