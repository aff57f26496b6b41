"""The routing pages through Django's test client: inbox order, letter panels, forms, double submits."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from saraban.routing import actions as routing
from saraban.routing.models import Step
from saraban.routing.resolve import Target
from tests.fixtures import user
from tests.routing.helpers import registered

pytestmark = pytest.mark.django_db


def client_for(username: str) -> Client:
    c = Client()
    c.force_login(user(username))
    return c


def token(html: str) -> str:
    return re.search(r'name="once" value="([^"]+)"', html).group(1)


def test_inbox_orders_by_urgency_then_due(org, clock) -> None:
    normal = registered(urgency="normal", subject="เรื่องปกติ")
    most = registered(urgency="most_urgent", subject="เรื่องด่วนที่สุด")
    soon = registered(urgency="normal", subject="เรื่องปกติกำหนดเร็ว")
    reg = user("registrar")
    routing.assign(reg, normal.letter, [Target(person="officer")], instruction="ดำเนินการ", working_days=10)
    routing.assign(reg, most.letter, [Target(person="officer")], instruction="ด่วน", working_days=10)
    routing.assign(reg, soon.letter, [Target(person="officer")], instruction="ดำเนินการ", working_days=1)
    html = client_for("officer").get("/inbox/").content.decode()
    order = [html.index(s) for s in ("เรื่องด่วนที่สุด", "เรื่องปกติกำหนดเร็ว", "เรื่องปกติ<")]
    assert order == sorted(order)


def test_letter_page_opens_and_endorse_assigns_once(org, clock) -> None:
    entry = registered()
    routing.distribute(user("registrar"), entry.letter, [Target(unit="ops-ict")])
    c = client_for("ict-director")
    page = c.get(f"/letters/{entry.letter_id}/").content.decode()
    step = Step.objects.get(letter=entry.letter)
    assert step.status == "opened" and step.opened_by.user.username == "ict-director"
    assert "มอบ … ดำเนินการ" in page and "ทราบ" in page
    officer = user("officer").person
    form = {"once": token(page), "phrase": "มอบ … ดำเนินการ", "assignee": f"person:{officer.pk}",
            "working_days": "3", "step": str(step.pk)}
    r1 = c.post(f"/routing/letters/{entry.letter_id}/endorse/", form)
    r2 = c.post(f"/routing/letters/{entry.letter_id}/endorse/", form)  # a double tap
    assert r1.status_code == r2.status_code == 302
    assert Step.objects.filter(letter=entry.letter, kind="assign").count() == 1
    e = entry.letter.endorsements.get()
    assert e.text == "มอบ นายกิตติศักดิ์ ขยันงาน ดำเนินการ"
    page = c.get(f"/letters/{entry.letter_id}/").content.decode()
    assert "มอบ นายกิตติศักดิ์ ขยันงาน ดำเนินการ" in page and 'data-action="routing.endorse"' in page


def test_outsider_gets_404_for_letter_and_files(org, clock) -> None:
    entry = registered()
    routing.distribute(user("registrar"), entry.letter, [Target(unit="ops-ict")])
    f = entry.letter.files.first()
    c = client_for("finance-director")
    assert c.get(f"/letters/{entry.letter_id}/").status_code == 404
    assert c.get(f"/letters/{entry.letter_id}/files/{f.pk}").status_code == 404
    assert c.get(f"/letters/{entry.letter_id}/files/{f.pk}/page/1.png").status_code == 404
    assert c.post(f"/routing/letters/{entry.letter_id}/endorse/", {"text": "ทราบ"}).status_code == 404
    assert client_for("officer").get(f"/letters/{entry.letter_id}/files/{f.pk}").status_code == 200


def test_admin_pages_render(org, clock) -> None:
    c = client_for("admin")
    html = c.get("/routing/holidays/?year=2569").content.decode()
    assert "วันวิสาขบูชา" in html and "วันหยุดชดเชยวันวิสาขบูชา" in html
    assert c.get("/routing/templates/").status_code == 200
    assert client_for("officer").get("/routing/settings/").status_code == 200
