"""A completion report carries files: attached when the step is reported done (web and API), listed with the
route, served to whoever sees the letter; bad files are refused and the step stays open."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from saraban.routing import actions
from saraban.routing.models import ReportFile, Step
from saraban.routing.resolve import Target
from tests.fixtures import make_pdf, user
from tests.routing.helpers import registered

pytestmark = pytest.mark.django_db


def named(data: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def assigned() -> tuple:  # type: ignore[type-arg]
    entry = registered()
    [step] = actions.assign(user("director"), entry.letter, [Target(person="officer")], instruction="ดำเนินการ")
    return entry.letter, step


def test_report_done_with_files_over_the_api(api_for, clock) -> None:
    letter, step = assigned()
    api = api_for("officer")
    bad = api.post_multipart(f"/routing/letters/{letter.pk}/steps/{step.pk}/report",
                             {"note": "เสร็จแล้ว", "files": [named(b"<html><script>x</script>", "r.html")]})
    assert bad.status_code == 415 and bad.json()["code"] == "enclosure_html"
    assert Step.objects.get(pk=step.pk).status != "done" and not ReportFile.objects.exists()
    xlsx = b"PK\x03\x04" + bytes(100)
    r = api.post_multipart(f"/routing/letters/{letter.pk}/steps/{step.pk}/report",
                           {"note": "จัดทำข้อมูลแล้ว", "files": [named(make_pdf("ผล", variant=5), "ผลการดำเนินการ.pdf"),
                                                                   named(xlsx, "ตาราง.xlsx")]})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "done" and body["result"] == "จัดทำข้อมูลแล้ว"
    assert [(f["name"], f["title"], f["order"]) for f in body["report_files"]] == [
        ("ผลการดำเนินการ.pdf", "ผลการดำเนินการ", 1), ("ตาราง.xlsx", "ตาราง", 2)]
    got = api.client.get(body["report_files"][1]["url"], **api.headers)
    assert got.content == xlsx and got["X-Content-SHA256"] == body["report_files"][1]["sha256"]
    director = Client()
    director.force_login(user("director"))
    page = director.get(f"/letters/{letter.pk}/").content.decode()
    assert "ผลการดำเนินการ" in page and f"/steps/{step.pk}/files/" in page


def test_report_done_with_files_on_the_web(org, clock) -> None:
    letter, step = assigned()
    web = Client()
    web.force_login(user("officer"))
    r = web.post(f"/routing/letters/{letter.pk}/steps/{step.pk}/done/",
                 {"note": "ส่งรายงานแล้ว", "files": [named(make_pdf("รายงาน", variant=6), "รายงาน.pdf")], "once": "x1"})
    assert r.status_code == 302
    [f] = ReportFile.objects.filter(step=step)
    assert f.name == "รายงาน.pdf" and f.role == "enclosure"
    assert web.get(f"/routing/letters/{letter.pk}/steps/{step.pk}/files/{f.pk}").status_code == 200
