"""Each role's landing page and the top bar's counts (issue #17, point 1): ``/`` sends every person to what
waits for them, an item leaves a list once its person acted on it, and counts never name a classified letter."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from saraban.routing import actions as routing
from saraban.routing import queries
from saraban.routing.resolve import Target
from tests.fixtures import user
from tests.routing.helpers import registered

pytestmark = pytest.mark.django_db


def client_for(username: str) -> Client:
    c = Client()
    c.force_login(user(username))
    return c


@pytest.mark.parametrize(("who", "landing"), [("registrar", "/desk/"), ("secretary", "/desk/"),
                                              ("director", "/decide/"), ("permsec", "/decide/"),
                                              ("admin", "/manage/"), ("officer", "/inbox/")])
def test_each_role_lands_on_its_own_page(org, who: str, landing: str) -> None:
    c = client_for(who)
    r = c.get("/")
    assert r.status_code == 302 and r["Location"] == landing
    assert c.get(landing).status_code == 200


def test_the_desk_keeps_the_item_in_the_address(org) -> None:
    r = client_for("registrar").get("/?item=abc")
    assert r["Location"] == "/desk/?item=abc"


def nav_count(html: str, key: str) -> int:
    m = re.search(rf'data-nav="{key}">[^<]*(?:<span class="nav-count"[^>]*>(\d+)</span>)?', html)
    assert m, f"no {key} link in the top bar"
    return int(m.group(1) or 0)


def test_the_administration_links_show_to_administrators_only(org) -> None:
    """They belong to ``ops``, above the web: declared in its ``AppConfig.web_links()``, drawn by the web."""
    page = client_for("admin").get("/manage/").content.decode()
    assert nav_count(page, "manage") == 0 and 'data-nav="ops-health"' in page  # nothing failed: no badge
    officer = client_for("officer").get("/inbox/").content.decode()
    assert 'data-nav="manage"' not in officer and 'data-nav="ops-health"' not in officer


def test_an_item_leaves_the_list_once_acted_on_and_the_counts_follow(org, clock) -> None:
    entry = registered(urgency="very_urgent", subject="ขอความเห็นเรื่องงบประมาณ")
    routing.distribute(user("registrar"), entry.letter, [Target(unit="ops-ict")])
    c = client_for("ict-director")
    page = c.get("/decide/").content.decode()
    assert "ขอความเห็นเรื่องงบประมาณ" in page and nav_count(page, "decide") == 1
    assert re.search(r"<b>1</b> หนังสือด่วน", page)
    routing.endorse(user("ict-director"), entry.letter, "มอบ ดำเนินการ", assign_to=[Target(person="officer")],
                    working_days=3)
    assert queries.my_work(user("ict-director")) == []
    page = c.get("/decide/").content.decode()
    assert nav_count(page, "decide") == 0
    assert "ขอความเห็นเรื่องงบประมาณ" in page.split('id="decide-followup"')[1]  # now followed up, not waiting
    assert "ขอความเห็นเรื่องงบประมาณ" not in page.split('id="decide"')[1].split("</ul>")[0]
    officer = client_for("officer")
    inbox = officer.get("/inbox/").content.decode()
    assert nav_count(inbox, "inbox") == 1 and 'id="nav-unread"' in inbox
    [step] = [w.step for w in queries.my_work(user("officer"))]
    routing.acknowledge(user("officer"), entry.letter, step.pk)
    assert len(queries.my_work(user("officer"))) == 1  # acknowledged, not yet done: still their work
    routing.report_done(user("officer"), entry.letter, step.pk, result="เสร็จแล้ว")
    assert queries.my_work_count(user("officer")) == 0


def test_a_distributed_letter_leaves_once_acknowledged(org, clock) -> None:
    entry = registered()
    [step] = routing.distribute(user("registrar"), entry.letter, [Target(person="officer")])
    assert queries.my_work_count(user("officer")) == 1
    routing.acknowledge(user("officer"), entry.letter, step.pk)
    assert queries.my_work_count(user("officer")) == 0


def test_counts_include_a_classified_letter_but_never_its_subject(org, clock) -> None:
    entry = registered(secrecy="secret", subject="แผนลับเฉพาะเรื่องการย้ายศูนย์ข้อมูล", by="secretary")
    routing.distribute(user("secretary"), entry.letter, [Target(person="permsec")])
    html = client_for("permsec").get("/drafts/").content.decode()  # a page that lists no letter
    assert nav_count(html, "decide") == 1 and "แผนลับเฉพาะ" not in html


def test_a_non_registrar_sees_no_upload_form_with_an_empty_unit_list(org) -> None:
    html = client_for("director").get("/desk/").content.decode()
    assert 'id="up-unit"' not in html and 'id="no-desk-units"' in html
    assert 'data-nav="desk"' not in html  # nor a desk link in the top bar
    html = client_for("registrar").get("/desk/").content.decode()
    assert re.search(r'<select id="up-unit" name="unit"><option', html)


def test_a_letter_sent_to_the_registrars_own_unit_waits_for_its_head(org, clock) -> None:
    entry = registered(subject="หนังสือถึงกองกลาง")
    [step] = routing.distribute(user("registrar"), entry.letter, [Target(unit="ops-central")])
    step.refresh_from_db()
    assert step.status == "sent" and step.acted_by is None  # sending it is not acting on it for the unit
    assert [w.step.pk for w in queries.my_work(user("director"))] == [step.pk]
