"""Circulars with read state and one-click reminders; route templates as data; sub-unit registration."""

from __future__ import annotations

import pytest

from saraban.audit.models import AuditEvent
from saraban.kernel.errors import Conflict, NotFound, PermissionDenied
from saraban.orgs.models import Unit
from saraban.registry.models import RegisterEntry
from saraban.routing import actions as routing
from saraban.routing import queries
from saraban.routing.actions import register_received_copy
from saraban.routing.models import Notification, Step
from saraban.routing.resolve import Target
from tests.fixtures import user

from .helpers import registered

pytestmark = pytest.mark.django_db


def test_circular_read_state_and_reminder(org, clock) -> None:
    entry = registered(kind="directive", subject="แจ้งเวียนมาตรการประหยัดพลังงาน")
    steps = routing.send_circular(user("registrar"), entry.letter, [Target(unit="ops-ict")])
    names = sorted(s.to_person.user.username for s in steps)
    assert names == ["admin", "ict-deputy", "ict-director", "officer"]
    clock.advance(minutes=5)
    routing.open_steps(user("officer"), entry.letter)
    state = queries.circular_state(entry.letter)
    assert state.total == 4 and len(state.read) == 1
    assert sorted(s.to_person.user.username for s in state.unread) == ["admin", "ict-deputy", "ict-director"]

    before = Notification.objects.filter(event="reminder").count()
    reminded = routing.remind_unread(user("registrar"), entry.letter)
    assert len(reminded) == 3 and Notification.objects.filter(event="reminder").count() == before + 3
    assert AuditEvent.objects.filter(action="routing.remind", object_id=str(entry.letter_id)).count() == 1
    routing.open_steps(user("admin"), entry.letter)
    routing.open_steps(user("ict-director"), entry.letter)
    routing.open_steps(user("ict-deputy"), entry.letter)
    with pytest.raises(Conflict):
        routing.remind_unread(user("registrar"), entry.letter)
    entry.refresh_from_db()
    assert "แจ้งเวียน 4 ราย" in entry.action_text and "(อ่านแล้ว 4 ราย)" in entry.action_text


def test_route_template_is_data(org, clock) -> None:
    central = Unit.objects.get(code="ops-central")
    with pytest.raises(PermissionDenied):
        routing.save_template(user("registrar"), central, "หนังสือภายนอกทั่วไป", [{"position": "ops-central-director"}])
    tpl = routing.save_template(user("admin"), central, "หนังสือภายนอกทั่วไป", kind="external", steps=[
        {"position": "ops-central-director", "kind": "propose", "instruction": "เพื่อโปรดพิจารณา"},
        {"unit": "ops-ict", "kind": "distribute", "instruction": "เพื่อดำเนินการ"},
    ])
    entry = registered(kind="external")
    assert queries.templates_for(entry.letter) == [tpl]
    first, second = routing.apply_template(user("registrar"), entry.letter, tpl)
    assert (first.status, second.status) == ("sent", "waiting")
    assert first.to_label == "ผู้อำนวยการกองกลาง (นายประเสริฐ บริหารดี)"
    assert [w.step.pk for w in queries.my_work(user("ict-director"))] == []  # not its turn yet
    routing.endorse(user("director"), entry.letter, "ทราบ ส่ง ศทส. ดำเนินการ")
    second.refresh_from_db()
    assert second.status == "sent" and second.to_label == "ศทส. (นางสาวอรวรรณ เทคโนโลยี)"
    assert [w.step.pk for w in queries.my_work(user("ict-director"))] == [second.pk]


def test_receiving_unit_registers_in_its_own_book(org, clock) -> None:
    entry = registered()
    finance = Unit.objects.get(code="ops-finance")
    with pytest.raises(NotFound):  # not sent there: the finance registrar cannot even see it
        register_received_copy(user("finance-registrar"), entry.letter, finance)
    with pytest.raises(PermissionDenied):  # visible to the central registrar, but not sent to this unit
        register_received_copy(user("registrar"), entry.letter, Unit.objects.get(code="ops-saraban"))
    routing.distribute(user("registrar"), entry.letter, [Target(unit="ops-finance")])
    copy = register_received_copy(user("finance-registrar"), entry.letter, finance)
    assert copy.book.unit_id == finance.pk and copy.book.kind == "received" and copy.number == 1
    assert (copy.ref, copy.letter_date, copy.from_text, copy.subject) == (
        entry.ref, entry.letter_date, entry.from_text, entry.subject)
    assert copy.action_text.startswith("ส่ง กค. (นางมาลี การคลัง)")
    with pytest.raises(Conflict):
        register_received_copy(user("finance-registrar"), entry.letter, finance)
    routing.open_steps(user("finance-director"), entry.letter)
    assert {e.action_text for e in RegisterEntry.objects.filter(letter=entry.letter)} == {
        RegisterEntry.objects.get(pk=entry.pk).action_text}
    assert Step.objects.get(letter=entry.letter).opened_by.user.username == "finance-director"


def test_sub_unit_registration_puts_its_own_stamp_beside_the_agencys(org, clock,
                                                                      django_capture_on_commit_callbacks) -> None:
    import subprocess
    import tempfile
    from pathlib import Path

    from saraban.letters.models import FileRole, LetterFile
    from saraban.storage import blobs

    with django_capture_on_commit_callbacks(execute=True):
        entry = registered(subject="ขอความร่วมมือสำรวจข้อมูลงบประมาณ")
    routing.distribute(user("registrar"), entry.letter, [Target(unit="ops-finance")])
    finance = Unit.objects.get(code="ops-finance")
    with django_capture_on_commit_callbacks(execute=True):
        copy = register_received_copy(user("finance-registrar"), entry.letter, finance)
    original = LetterFile.objects.get(letter=entry.letter, role=FileRole.LETTER)
    stamped = LetterFile.objects.filter(letter=entry.letter, role=FileRole.PRESENTATION)
    assert stamped.count() == 2  # the agency's copy, then the one with both stamps
    both = stamped.get(note__contains=finance.name_th)
    assert both.derived_from_id == original.pk
    assert blobs.read(original.blob) == blobs.read(LetterFile.objects.get(pk=original.pk).blob)  # untouched
    with tempfile.TemporaryDirectory() as d:
        pdf = Path(d) / "both.pdf"
        pdf.write_bytes(blobs.read(both.blob))
        text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(Path(d) / "both")], check=True)  # the page renders (pdftoppm reads the stamped PDF)
        assert (Path(d) / "both.png").stat().st_size > 0
    assert finance.name_th in text and str(copy.number) in text and str(entry.number) in text
    # run again (a retried task): no second copy
    from saraban.registry.tasks import stamp_copy_receipt

    assert stamp_copy_receipt.call(str(copy.pk)) == str(both.pk)
