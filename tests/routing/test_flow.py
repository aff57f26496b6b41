"""The whole route of one letter: distribute, open, endorse with assignment, acknowledge, done — with the
register's การปฏิบัติ, access, the annex copy and the audit trail."""

from __future__ import annotations

import pytest

from saraban.access.principal import principal_for
from saraban.audit.models import AuditEvent
from saraban.letters import policy
from saraban.letters.models import FileRole, LetterFile
from saraban.registry.models import RegisterEntry
from saraban.routing import actions as routing
from saraban.routing.models import Endorsement, Step
from saraban.routing.resolve import Target
from tests.fixtures import user

from .helpers import registered

pytestmark = pytest.mark.django_db


def test_route_of_a_letter(org, clock, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        entry = registered()
    letter = entry.letter
    director, officer, outsider = user("ict-director"), user("officer"), user("finance-director")
    assert not policy.can_view_letter(principal_for(director), letter)

    [step] = routing.distribute(user("registrar"), letter, [Target(unit="ops-ict")])
    assert step.to_label == "ศทส. (นางสาวอรวรรณ เทคโนโลยี)"
    entry.refresh_from_db()
    assert entry.action_text == "ส่ง ศทส. (นางสาวอรวรรณ เทคโนโลยี) 3 มี.ค. 69 10.42 น."
    assert policy.can_view_letter(principal_for(director), letter)
    assert not policy.can_view_letter(principal_for(outsider), letter)

    clock.advance(minutes=38)
    opened = routing.open_steps(director, letter)
    assert [s.pk for s in opened] == [step.pk]
    step.refresh_from_db()
    assert step.status == "opened" and step.acknowledged_at is None  # seen is not acted on
    entry.refresh_from_db()
    assert entry.action_text.endswith("รับโดย นางสาวอรวรรณ เทคโนโลยี 11.20 น.")

    clock.advance(minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        e = routing.endorse(director, letter, "ทราบ มอบ นายกิตติศักดิ์ ดำเนินการ",
                            assign_to=[Target(person="officer")], working_days=3)
    assert e.typed_name == "นางสาวอรวรรณ เทคโนโลยี"
    assert e.position_title == "ผู้อำนวยการศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร"
    step.refresh_from_db()
    assert step.status == "acknowledged"
    [task] = Step.objects.filter(letter=letter, kind="assign")
    # Tuesday 3 March 2569 is Makha Bucha: three working days after it are 4, 5 and 6 March
    assert str(task.due_date) == "2026-03-06"
    assert task.parent_id == step.pk

    clock.advance(minutes=15)
    routing.open_steps(officer, letter)
    routing.acknowledge(officer, letter, task.pk)
    clock.advance(hours=22)
    routing.report_done(officer, letter, task.pk, result="ดำเนินการตามที่มอบหมายแล้ว")
    task.refresh_from_db()
    assert task.status == "done" and task.opened_at < task.done_at

    entry.refresh_from_db()
    lines = entry.action_text.splitlines()
    assert lines[1].startswith("มอบ นายกิตติศักดิ์ ขยันงาน (นักวิชาการคอมพิวเตอร์ชำนาญการ) 3 มี.ค. 69 11.30 น.")
    assert "กำหนดเสร็จ 6 มี.ค. 69" in lines[1] and "รับโดย นายกิตติศักดิ์ ขยันงาน 11.45 น." in lines[1]
    assert "ดำเนินการแล้ว 4 มี.ค. 69 09.45 น." in lines[1]

    # the endorsement is on an annex page of a new copy derived from the receipt-stamped copy
    annex = LetterFile.objects.get(letter=letter, role=FileRole.ANNEX)
    stamped = LetterFile.objects.get(letter=letter, role=FileRole.PRESENTATION)
    original = LetterFile.objects.get(letter=letter, role=FileRole.LETTER)
    assert annex.derived_from_id == stamped.pk and stamped.derived_from_id == original.pk
    assert annex.pages == 2

    actions = list(AuditEvent.objects.filter(object_id=str(letter.pk)).values_list("action", flat=True))
    assert actions == ["routing.distribute", "routing.open", "routing.endorse", "routing.open",
                       "routing.acknowledge", "routing.done"]


def test_endorsements_are_append_only(org, clock) -> None:
    entry = registered()
    routing.distribute(user("registrar"), entry.letter, [Target(unit="ops-ict")])
    e = routing.endorse(user("ict-director"), entry.letter, "ทราบ")
    e.text = "แก้ไข"
    with pytest.raises(ValueError):
        e.save()
    with pytest.raises(ValueError):
        e.delete()
    later = routing.endorse(user("ict-director"), entry.letter, "อนุมัติ", follows_id=e.pk)
    assert later.follows_id == e.pk
    assert Endorsement.objects.get(pk=e.pk).text == "ทราบ"
    assert RegisterEntry.objects.get(pk=entry.pk).letter_id == entry.letter_id


def test_overdue_is_visible_to_assignee_and_assigner(org, clock) -> None:
    import datetime as dt

    from saraban.routing import queries

    entry = registered()
    [step] = routing.assign(user("registrar"), entry.letter, [Target(person="officer")], instruction="ด่วน",
                            working_days=1)
    assert str(step.due_date) == "2026-03-04"
    assert not queries.my_work(user("officer"))[0].overdue
    clock.advance(days=2)  # Thursday 5 March: past the due date, still open
    [mine] = queries.my_work(user("officer"))
    [theirs] = queries.assigned_by_me(user("registrar"))
    assert mine.overdue and theirs.overdue and mine.days_left == -1
    assert [w.step.pk for w in queries.overdue_for(user("registrar"))] == [step.pk]
    routing.report_done(user("officer"), entry.letter, step.pk, result="เสร็จ")
    assert queries.assigned_by_me(user("registrar")) == [] and queries.my_work(user("officer")) == []
    assert clock.now().date() == dt.date(2026, 3, 5)
