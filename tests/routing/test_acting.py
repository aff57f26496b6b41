"""Acting delegation (รักษาการแทน): work sent to a position goes to whoever acts in it that day."""

from __future__ import annotations

import datetime as dt

import pytest

from saraban.access.principal import principal_for
from saraban.letters import policy
from saraban.orgs.models import Position, PositionHolding
from saraban.routing import actions as routing
from saraban.routing import queries
from saraban.routing.resolve import Target
from tests.fixtures import user

from .helpers import registered

pytestmark = pytest.mark.django_db


def test_work_follows_the_acting_officer(org, clock, django_capture_on_commit_callbacks) -> None:
    position = Position.objects.get(code="ops-ict-director")
    deputy = user("admin").person  # นายธนพล, an officer of ศทส., acts as its director for a week
    PositionHolding.objects.create(person=deputy, position=position, kind="acting", start=dt.date(2026, 3, 2),
                                   end=dt.date(2026, 3, 6), order_ref="คำสั่ง ศทส. ที่ 12/2569")
    with django_capture_on_commit_callbacks(execute=True):
        entry = registered()
    [step] = routing.distribute(user("registrar"), entry.letter, [Target(position="ops-ict-director")])
    assert step.to_person_id == deputy.pk and step.acting
    assert step.to_label == "นายธนพล วงศ์ดิจิทัล รักษาการแทนผู้อำนวยการศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร"
    assert [w.step.pk for w in queries.my_work(user("admin"))] == [step.pk]

    with django_capture_on_commit_callbacks(execute=True):
        e = routing.endorse(user("admin"), entry.letter, "ทราบ")
    assert e.acting_for == "ผู้อำนวยการศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร"
    assert e.position_title == "นักวิชาการคอมพิวเตอร์ชำนาญการ"
    step.refresh_from_db()
    assert step.acted_acting and step.acted_by_id == deputy.pk
    annex = entry.letter.files.get(role="annex")
    from saraban.storage import blobs
    from tests.letterpress.pdftools import pdftotext

    text = pdftotext(blobs.read(annex.blob))
    assert "รักษาการแทนผู้อำนวยการศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร" in text.replace("\n", "")
    assert "(นายธนพล วงศ์ดิจิทัล)" in text

    # after the acting period the holder sees the letter through the position it was sent to
    holder = principal_for(user("ict-director"))
    clock.set(clock.now() + dt.timedelta(days=7))
    assert policy.can_view_letter(holder, entry.letter)
    assert entry.letter.pk in set(policy.visible_letters(holder).values_list("pk", flat=True))
