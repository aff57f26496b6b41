"""A stamped copy is made once even when two workers draw it at the same moment (a task requeued while its
first run is still going): both pass the "is it there yet?" look before either writes, and the source file's
row lock in :func:`saraban.letters.actions.add_derived_file` lets only the first one store its copy."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from saraban.audit.models import AuditEvent
from saraban.letters.actions import AlreadyDerived, add_derived_file, derive_once
from saraban.letters.models import FileRole, LetterFile
from saraban.registry.tasks import stamp_receipt
from tests.fixtures import meta

pytestmark = pytest.mark.usefixtures("committed_db")  # two threads, two connections: both must see the letter


def _source(registrar_api) -> LetterFile:
    r = registrar_api.incoming(meta())
    assert r.status_code == 201, r.content
    return LetterFile.objects.select_related("blob", "letter").get(letter_id=r.json()["id"], role=FileRole.LETTER)


def test_a_maker_that_finds_the_copy_inside_its_transaction_changes_nothing(registrar_api) -> None:
    """What the later of two concurrent makers meets (on SQLite, whose write transactions run one at a time,
    this is the whole story): the copy is there by the time its transaction looks, so it stores nothing."""
    source = _source(registrar_api)
    first = add_derived_file(None, source, role=FileRole.NUMBERED, name="a.pdf", data=b"%PDF-1.4 a", note="n 1",
                             once=True)
    files, events = LetterFile.objects.count(), AuditEvent.objects.count()
    with pytest.raises(AlreadyDerived) as err:
        add_derived_file(None, source, role=FileRole.NUMBERED, name="b.pdf", data=b"%PDF-1.4 b", note="n 1", once=True)
    assert err.value.details == {"file": str(first.pk)} and err.value.status == 409
    assert (LetterFile.objects.count(), AuditEvent.objects.count()) == (files, events)
    other = add_derived_file(None, source, role=FileRole.NUMBERED, name="c.pdf", data=b"%PDF-1.4 c", note="n 2",
                             once=True)  # another number: another copy
    assert other.pk != first.pk


@pytest.mark.backend("postgresql")  # two threads, two connections, at once: SQLite would run them one by one
def test_two_makers_at_once_leave_one_copy_and_one_event(registrar_api) -> None:
    source = _source(registrar_api)
    both_looked = threading.Barrier(2, timeout=30)
    events = AuditEvent.objects.filter(action="letter.derive_file").count()

    def make(n: int) -> str:
        def draw() -> bytes:
            both_looked.wait()  # neither writes before both have found no copy
            return f"%PDF-1.4 copy drawn by maker {n}".encode()

        try:
            return str(derive_once(source, role=FileRole.PRESENTATION, name="x-ตรารับ.pdf", note="ตรารับเลขที่ 7",
                                   pages=1, draw=draw).pk)
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        made = list(pool.map(make, (1, 2)))
    copies = LetterFile.objects.filter(derived_from=source, role=FileRole.PRESENTATION, note="ตรารับเลขที่ 7")
    assert copies.count() == 1
    assert made == [str(copies.get().pk)] * 2  # the later maker answers with the first one's copy
    assert AuditEvent.objects.filter(action="letter.derive_file").count() == events + 1


def test_the_receipt_stamp_task_run_again_keeps_its_one_copy(registrar_api) -> None:
    r = registrar_api.incoming(meta())
    source = LetterFile.objects.get(letter_id=r.json()["id"], role=FileRole.LETTER)
    entry_id = r.json()["registration"]["id"]
    first = stamp_receipt.call(entry_id, str(source.pk))
    assert stamp_receipt.call(entry_id, str(source.pk)) == first
    stamped = LetterFile.objects.get(derived_from=source, role=FileRole.PRESENTATION)
    assert str(stamped.pk) == first and stamped.note.startswith("ตรารับเลขที่ ")
