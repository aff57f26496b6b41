"""Bulk actions (issue #17, point 8): register several queue items or act on several items of "my work" at once;
each item is its own action (one transaction, one audit event), a failure rolls back none of the others, and the
next page says what succeeded and what did not."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from saraban.audit.models import AuditEvent
from saraban.intake import actions as intake
from saraban.intake.models import IntakeItem, IntakeStatus
from saraban.registry.validation import IntakeMetadata
from saraban.routing import actions as routing
from saraban.routing import queries
from saraban.routing.models import Step
from saraban.routing.resolve import Target
from tests.fixtures import make_pdf, meta, user
from tests.routing.helpers import registered

pytestmark = pytest.mark.django_db


def client_for(username: str) -> Client:
    c = Client()
    c.force_login(user(username))
    return c


def queued(variant: int, **over: object) -> IntakeItem:
    data = {k: v for k, v in meta(their_ref=f"สพธอ 01/{variant}", unit="ops-central", **over).items() if v is not None}
    return intake.submit(user("registrar"), IntakeMetadata(**data), intake.Upload(make_pdf(variant=variant), "in.pdf"),
                         channel="sbx")


def test_register_several_reports_each_and_a_failure_keeps_its_item(org, clock) -> None:
    good = [queued(301, subject="ขอเชิญประชุม"), queued(302, subject="ขอข้อมูลสถิติ")]
    lacking = queued(303, subject="ไม่มีผู้ส่ง", sender=None)  # cannot be registered as proposed
    c = client_for("registrar")
    token = re.search(r'id="bulk-form">.*?name="once" value="([^"]+)"', c.get("/desk/").content.decode(), re.S)[1]
    before = AuditEvent.objects.filter(action="registry.register_incoming").count()
    r = c.post("/intake/bulk/register/", {"item": [str(i.pk) for i in (good[0], lacking, good[1])], "once": token})
    assert r.status_code == 302 and r["Location"] == "/desk/"
    assert [IntakeItem.objects.get(pk=i.pk).status for i in (*good, lacking)] == \
        [IntakeStatus.REGISTERED, IntakeStatus.REGISTERED, IntakeStatus.PENDING]
    assert AuditEvent.objects.filter(action="registry.register_incoming").count() == before + 2  # one event each
    page = c.get("/desk/").content.decode()
    summary = page.split('id="bulk-summary"')[1].split("</section>")[0]
    assert "สำเร็จ 2" in summary and "ไม่สำเร็จ 1" in summary
    assert summary.count('class="bulk-ok"') == 2 and summary.count('class="bulk-failed"') == 1
    assert "ขอเชิญประชุม" in summary and "ลงทะเบียนรับเลขที่" in summary and "ไม่มีผู้ส่ง" in summary
    assert 'id="bulk-summary"' not in c.get("/desk/").content.decode()  # shown once
    # the same form sent again (a double click) registers nothing twice
    c.post("/intake/bulk/register/", {"item": [str(i.pk) for i in (good[0], lacking, good[1])], "once": token})
    assert AuditEvent.objects.filter(action="registry.register_incoming").count() == before + 2


def test_send_on_and_acknowledge_several_from_my_work(org, clock) -> None:
    letters = [registered(subject=f"เรื่องที่ {i}").letter for i in range(3)]
    steps = [routing.distribute(user("registrar"), x, [Target(unit="ops-ict")])[0] for x in letters]
    c = client_for("ict-director")
    page = c.get("/inbox/").content.decode()
    assert page.count('class="bulk-pick"') == 3 and 'id="bulk-send"' in page
    r = c.post("/inbox/bulk/", {"verb": "distribute", "step": [str(s.pk) for s in steps[:2]],
                                "target": ["person:" + str(user("officer").person.pk)], "instruction": "ดำเนินการ",
                                "once": "bulk-1"})
    assert r.status_code == 302
    assert [w.letter.pk for w in queries.my_work(user("ict-director"))] == [letters[2].pk]  # acted on: gone
    assert Step.objects.filter(letter__in=letters[:2], to_person=user("officer").person).count() == 2
    summary = c.get("/inbox/").content.decode().split('id="bulk-summary"')[1].split("</section>")[0]
    assert "สำเร็จ 2" in summary and "ส่งถึง" in summary
    c.post("/inbox/bulk/", {"verb": "acknowledge", "step": [str(steps[2].pk), str(steps[0].pk)], "once": "bulk-2"})
    assert queries.my_work(user("ict-director")) == []
    summary = c.get("/inbox/").content.decode().split('id="bulk-summary"')[1].split("</section>")[0]
    assert "สำเร็จ 1" in summary and "ไม่สำเร็จ 1" in summary  # the first was already sent on


def test_no_one_bulk_registers_from_a_queue_they_cannot_see(org, clock) -> None:
    item = queued(304)
    client_for("officer").post("/intake/bulk/register/", {"item": [str(item.pk)], "once": "x"})
    assert IntakeItem.objects.get(pk=item.pk).status == IntakeStatus.PENDING
