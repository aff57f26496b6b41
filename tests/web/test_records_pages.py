"""The records pages through Django's test client: the navigation link, the file plan (import, edit, export),
filing from the letter page, forms 19/20 and the destruction list's steps up to a refused early destruction."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from saraban.records.models import DestructionList, FileCode, Filing
from tests.fixtures import user
from tests.records.helpers import at, letter

pytestmark = pytest.mark.django_db

PLAN_CSV = ("code,parent,title_th,title_en,retention,special_years,special_law,basis\n"
            "01,,งานบริหารทั่วไป,General administration,10y,,,\n"
            "01.01,01,การลา,Leave,1y,,,ข้อ 57 เรื่องธรรมดาที่ทำเป็นประจำ\n"
            "02,,นโยบาย,Policy,permanent,,,\n").encode()


def client_for(username: str) -> Client:
    c = Client()
    c.force_login(user(username))
    return c


def token(html: str) -> str:
    return re.search(r'name="once" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def test_records_pages(org) -> None:
    reg = client_for("registrar")
    with at(2025, 1, 5):
        assert 'href="/records/"' in reg.get("/", follow=True).content.decode()
        assert 'href="/records/"' not in client_for("officer").get("/inbox/").content.decode()
        html = reg.get("/records/plan/").content.decode()
        from django.core.files.uploadedfile import SimpleUploadedFile

        r = reg.post("/records/plan/import/", {"once": token(html), "file": SimpleUploadedFile("plan.csv", PLAN_CSV)})
        assert r.status_code == 302
        assert FileCode.objects.filter(agency__code="mdes-ops").count() == 3
        page = reg.get("/records/plan/").content.decode()
        assert "การลา" in page and "ห้ามทำลาย" in page
        exported = reg.get("/records/plan/export.csv").content.decode("utf-8-sig")
        assert "01.01,01,การลา,Leave,1y" in exported
    lt = letter(dt.date(2023, 5, 2), "ขอลาพักผ่อน นาย ข. สมมติ")
    leave = FileCode.objects.get(agency__code="mdes-ops", code="01.01")
    with at(2023, 6, 1):
        html = reg.get(f"/letters/{lt.pk}/").content.decode()
        assert "จัดเก็บเข้าแฟ้ม" in html
        r = reg.post(f"/records/file/{lt.pk}/", {"once": token(html), "file_code": str(leave.pk)})
        assert r.status_code == 302
        filing = Filing.objects.get(letter=lt)
        assert filing.keep_until_be == 2567
        assert "เก็บถึง พ.ศ." in reg.get(f"/letters/{lt.pk}/").content.decode()
        assert reg.get("/records/forms/19.pdf").content.startswith(b"%PDF")
        assert reg.get("/records/forms/20.xlsx").status_code == 200
    with at(2025, 1, 10):
        html = reg.get("/records/").content.decode()
        assert "ขอลาพักผ่อน" in html
        r = reg.post("/records/lists/new/", {"once": token(html), "year": "2567"})
        dlist = DestructionList.objects.get()
        assert r.status_code == 302 and r["Location"] == f"/records/lists/{dlist.pk}/"
        head = client_for("permsec")
        html = head.get(f"/records/lists/{dlist.pk}/").content.decode()
        assert "แต่งตั้งคณะกรรมการ" in html
        people = {u: str(user(u).person.pk) for u in ("director", "registrar", "finance-registrar")}
        r = head.post(f"/records/lists/{dlist.pk}/appoint/", {
            "once": token(html), "chair": people["director"], "members": [people["registrar"]]})
        dlist.refresh_from_db()
        assert dlist.state == "draft"  # two people: refused
        html = head.get(f"/records/lists/{dlist.pk}/").content.decode()
        assert "ประธานกรรมการและกรรมการอย่างน้อย 2 คน" in html
        head.post(f"/records/lists/{dlist.pk}/appoint/", {
            "once": token(html), "chair": people["director"],
            "members": [people["registrar"], people["finance-registrar"]]})
        dlist.refresh_from_db()
        assert dlist.state == "committee"
        html = client_for("director").get(f"/records/lists/{dlist.pk}/").content.decode()
        item = dlist.items.get()
        client_for("director").post(f"/records/lists/{dlist.pk}/decide/", {"once": token(html),
                                                                         f"d-{item.pk}": "destroy"})
        item.refresh_from_db()
        assert item.decision == "destroy"
        assert reg.get(f"/records/lists/{dlist.pk}/print/list.pdf").content.startswith(b"%PDF")
        html = reg.get(f"/records/lists/{dlist.pk}/").content.decode()
        reg.post(f"/records/lists/{dlist.pk}/destroy/", {"once": token(html)})
        dlist.refresh_from_db()
        assert dlist.state == "committee" and Filing.objects.get(letter=lt).state == "listed"


def test_records_downloads_carry_thai_names(org) -> None:
    from urllib.parse import quote

    reg = client_for("registrar")
    for url, thai in (("/records/dashboard/export.csv", "รายงานผู้บริหาร"),
                      ("/records/loans/export.xlsx", "แบบที่ 24 ทะเบียนการยืมหนังสือ"),
                      ("/records/plan/export.csv", "แผนแฟ้ม"), ("/records/forms/20.csv", "แบบที่ 20")):
        r = reg.get(url)
        assert r.status_code == 200, url
        header = r["Content-Disposition"]
        assert header.startswith("attachment; filename=\"") and f"filename*=UTF-8''{quote(thai)}" in header, header
        assert header.encode("ascii")  # the header itself stays ASCII (RFC 5987), the Thai name percent-encoded
