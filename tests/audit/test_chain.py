"""The audit log is append-only in the database and its hash chain names any edit, deletion or reorder."""

from __future__ import annotations

import io
import itertools
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from saraban.audit.models import AuditEvent
from saraban.audit.verify import verify
from saraban.registry.actions import Upload, register_incoming
from saraban.registry.validation import IncomingMetadata
from tests import factories
from tests.fixtures import make_pdf, meta, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db: object) -> None:
    """One agency and its registrar: the chain needs actions, not the demo ministry."""
    factories.agency()
    factories.person("registrar", roles=[("registrar", "tst-central")])


def _events(n: int = 3) -> None:
    for i in range(n):
        register_incoming(user("registrar"), IncomingMetadata(**meta(their_ref=f"x/{i}")), Upload(make_pdf(), "a.pdf"))


@contextmanager
def triggers_off():
    """What a DBA with full rights could do: switch the append-only triggers off."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cur.execute("DROP TRIGGER audit_auditevent_no_update")
            cur.execute("DROP TRIGGER audit_auditevent_no_delete")
    yield
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


def run_verify() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("audit", "verify", stdout=out)
        return 0, out.getvalue()
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()


def test_every_action_writes_one_chained_event(org, clock) -> None:
    start = AuditEvent.objects.count()
    _events(3)
    assert AuditEvent.objects.count() == start + 3
    evs = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in evs] == list(range(1, len(evs) + 1))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(evs))
    assert run_verify()[0] == 0


def test_database_refuses_update_and_delete(org, clock) -> None:
    _events(1)
    ev = AuditEvent.objects.order_by("-seq").first()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=ev.seq).update(actor_name="someone else")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=ev.seq).delete()


def test_edited_row_is_named(org, clock) -> None:
    _events(3)
    target = AuditEvent.objects.filter(action="registry.register_incoming").order_by("seq")[1]
    with triggers_off(), connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET actor_name = %s WHERE seq = %s", ["intruder", target.seq])
    code, out = run_verify()
    assert code == 1
    assert f"FAIL #{target.seq} edited" in out
    report = verify()
    assert [(p.seq, p.kind) for p in report.problems] == [(target.seq, "edited")]


def test_edited_data_is_detected(org, clock) -> None:
    _events(2)
    target = AuditEvent.objects.order_by("-seq").first()
    data = dict(target.data)
    data["number"] = 999
    with triggers_off():
        AuditEvent.objects.filter(seq=target.seq).update(data=data)
    assert (target.seq, "edited") in [(p.seq, p.kind) for p in verify().problems]


def test_deleted_row_is_detected(org, clock) -> None:
    _events(3)
    middle = AuditEvent.objects.order_by("seq")[2]
    with triggers_off():
        AuditEvent.objects.filter(seq=middle.seq).delete()
    code, out = run_verify()
    assert code == 1 and "missing" in out and f"#{middle.seq + 1}" in out


def test_deleted_tail_is_detected(org, clock) -> None:
    _events(2)
    last = AuditEvent.objects.order_by("-seq").first()
    with triggers_off():
        AuditEvent.objects.filter(seq=last.seq).delete()
    assert [p.kind for p in verify().problems] == ["head"]


def test_reordered_rows_are_detected(org, clock) -> None:
    _events(3)
    a, b = AuditEvent.objects.order_by("-seq")[:2]
    with triggers_off(), transaction.atomic():
        # swap two events' positions, keeping each event's own hash consistent with its new seq is impossible
        AuditEvent.objects.filter(seq=a.seq).update(seq=-1)
        AuditEvent.objects.filter(seq=b.seq).update(seq=a.seq)
        AuditEvent.objects.filter(seq=-1).update(seq=b.seq)
    kinds = {p.kind for p in verify().problems}
    assert "edited" in kinds or "reordered" in kinds
    assert run_verify()[0] == 1
