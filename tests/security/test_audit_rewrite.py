"""An audit log that cannot be rewritten unseen (issue #14, finding "the audit chain can be rewritten").

The attack: on a copy of the database, drop the append-only triggers, rewrite ``letter.read_classified``
events end to end, recompute the chain and the head — ``saraban audit verify`` said OK.  Now the links are
keyed with a key outside the database and the head is sealed into signed, time-stamped checkpoints outside it:
a chain recomputed without the key is caught by the checkpoints (and by the downgrade check when keyed events
were there), and one recomputed *with* a stolen key is caught by the checkpoints.  Runs on SQLite and on
PostgreSQL (the suite's two databases).
"""

from __future__ import annotations

import io
import json
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connection

from saraban.audit import keys
from saraban.audit.chain import body_digest, link
from saraban.audit.models import GENESIS_HASH, AuditEvent, AuditHead
from saraban.audit.verify import verify
from saraban.exchange.cades import verify as verify_cms
from saraban.kernel import periodic
from saraban.letters.models import LetterFile
from saraban.letters.reads import record_read
from saraban.ops import checkpoints
from tests.fixtures import meta, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def checkpoint_dir(settings, tmp_path):
    settings.SARABAN_AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
    return settings.SARABAN_AUDIT_CHECKPOINT_DIR


@contextmanager
def triggers_dropped():
    """What a DBA with full rights does on a copy: the append-only triggers go."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cur.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")
            cur.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_delete")
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


def recompute_chain(key: bytes | None) -> None:
    """Rewrite every link and the head from the events as they now are (``key``: a stolen chain key)."""
    prev = GENESIS_HASH
    kid = keys.key_id(key) if key else None
    for ev in AuditEvent.objects.order_by("seq"):
        digest = body_digest(uid=str(ev.uid), at=ev.at, actor_id=ev.actor_id, actor_name=ev.actor_name,
                             action=ev.action, object_type=ev.object_type, object_id=ev.object_id, data=ev.data)
        h = link(prev, ev.seq, digest, key)
        AuditEvent.objects.filter(seq=ev.seq).update(prev_hash=prev, hash=h, key_id=kid)
        prev = h
    AuditHead.objects.filter(id=1).update(last_hash=prev)


def run_verify(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out)
        return 0, out.getvalue()
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()


_refs = iter(range(1, 10_000))


def _secret_reads(api_for, n: int = 6) -> str:
    sec = api_for("secretary")
    r = sec.incoming(meta(secrecy="secret", subject="แผนป้องกัน", their_ref=f"กห 0201/ลับ {next(_refs)}"))
    letter_id = r.json()["id"]
    f = LetterFile.objects.get(letter_id=letter_id, role="letter")
    for _ in range(n):
        record_read(user("secretary"), f.letter, f, via="api.download")
    return letter_id


def _sealed_log(api_for, clock) -> None:
    _secret_reads(api_for)
    assert checkpoints.write(force=True) is not None
    _secret_reads(api_for, 2)
    clock.advance(seconds=checkpoints.interval().total_seconds())
    assert periodic.run_all()["audit.checkpoint"].startswith("sealed #")  # the periodic job seals on its interval


def _rewrite_reads() -> None:
    reads = list(AuditEvent.objects.filter(action="letter.read_classified").order_by("seq"))[:6]
    assert len(reads) == 6
    for ev in reads:  # pin the six reads on someone else
        AuditEvent.objects.filter(seq=ev.seq).update(actor_name="registrar", actor_id=user("registrar").pk)


def test_a_clean_keyed_log_verifies_against_its_checkpoints(api_for, clock, signing) -> None:
    _sealed_log(api_for, clock)
    code, out = run_verify()
    assert code == 0, out
    assert "2 signed checkpoint(s)" in out
    [first, second] = checkpoints.load_all()
    statement = json.loads(first.path.read_bytes())
    assert statement["format"] == checkpoints.FORMAT and statement["agency"] and statement["key_id"]
    assert json.loads(second.path.read_bytes())["previous"]["seq"] == first.seq
    sealed = verify_cms(first.path.read_bytes(), first.signature_path.read_bytes(), trust=checkpoints._trust())
    assert sealed.level == "B-T" and sealed.timestamp is not None  # sealed and time-stamped by the TSA
    assert "TEST" in sealed.signer or sealed.signer
    assert all(e.key_id == keys.current()[0] for e in AuditEvent.objects.all())
    assert not keys.key_dir().joinpath(keys.CURRENT).stat().st_mode & 0o077  # the key file is the service's only


def test_a_chain_recomputed_without_the_key_fails(api_for, clock, signing) -> None:
    _sealed_log(api_for, clock)
    with triggers_dropped():
        _rewrite_reads()
        recompute_chain(None)  # every link plain SHA-256, as before keying: no downgrade left to see
    assert verify().ok  # the chain alone is self-consistent now...
    code, out = run_verify()
    assert code == 1  # ...but not with what the seal signed
    assert "checkpoint" in out and "rewritten" in out


def test_a_chain_recomputed_with_a_stolen_key_fails(api_for, clock, signing) -> None:
    _sealed_log(api_for, clock)
    with triggers_dropped():
        _rewrite_reads()
        recompute_chain(keys.current()[1])
    assert verify().ok
    code, out = run_verify()
    assert code == 1 and "rewritten" in out


def test_a_partly_recomputed_chain_is_a_downgrade(api_for, clock, signing) -> None:
    _secret_reads(api_for)
    with triggers_dropped():
        _rewrite_reads()
        last_plain = AuditEvent.objects.filter(action="letter.read_classified").order_by("seq")[5].seq
        prev = GENESIS_HASH
        for ev in AuditEvent.objects.filter(seq__lte=last_plain).order_by("seq"):  # the attacker's part, no key
            digest = body_digest(uid=str(ev.uid), at=ev.at, actor_id=ev.actor_id, actor_name=ev.actor_name,
                                 action=ev.action, object_type=ev.object_type, object_id=ev.object_id, data=ev.data)
            prev = link(prev, ev.seq, digest)
            AuditEvent.objects.filter(seq=ev.seq).update(hash=prev, key_id=None)
    code, out = run_verify()
    assert code == 1 and ("edited" in out or "reordered" in out)


def test_a_forged_checkpoint_does_not_verify(api_for, clock, signing) -> None:
    _sealed_log(api_for, clock)
    with triggers_dropped():
        _rewrite_reads()
        recompute_chain(None)
    for cp in checkpoints.load_all():  # the attacker also edits the checkpoints to the new hashes
        s = json.loads(cp.path.read_bytes())
        s["hash"] = AuditEvent.objects.get(seq=cp.seq).hash
        cp.path.write_bytes(json.dumps(s, sort_keys=True, separators=(",", ":")).encode())
    code, out = run_verify()
    assert code == 1 and "seal does not verify" in out


def test_events_removed_after_a_checkpoint_are_missed(api_for, clock, signing) -> None:
    _sealed_log(api_for, clock)
    last = checkpoints.latest()
    with triggers_dropped():
        AuditEvent.objects.filter(seq__gte=last.seq - 1).delete()
        tail = AuditEvent.objects.order_by("-seq").first()
        AuditHead.objects.filter(id=1).update(last_seq=tail.seq, last_hash=tail.hash)
    code, out = run_verify()
    assert code == 1 and "cut back" in out


def test_an_existing_unkeyed_chain_keeps_verifying(api_for, clock, signing) -> None:
    """The migration path: a log written before keying (plain links, no key id) still verifies, and new
    events are keyed after it."""
    _secret_reads(api_for, 2)
    with triggers_dropped():
        recompute_chain(None)  # exactly what a database from before this change holds
    code, out = run_verify()
    assert code == 0, out
    _secret_reads(api_for, 1)
    assert AuditEvent.objects.order_by("-seq").first().key_id == keys.current()[0]
    assert checkpoints.write(force=True) is not None
    code, out = run_verify()
    assert code == 0 and "1 signed checkpoint(s)" in out
