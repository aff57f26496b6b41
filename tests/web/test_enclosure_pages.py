"""The enclosure pages without a browser: the draft editor's enclosures (attach, title, reorder, remove) and the
desk's upload of several files as one item with its editor; bad files come back as Thai messages."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from saraban.drafting import actions
from saraban.intake.models import IntakeItem
from tests.fixtures import make_pdf, user

pytestmark = pytest.mark.django_db


def named(data: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def test_draft_editor_enclosures(org, clock) -> None:
    draft = actions.create_draft(user("officer"), kind="external", form={"subject": "ส่งเอกสาร", "to_title": "อธิบดี"})
    web = Client()
    web.force_login(user("officer"))
    r = web.post(f"/drafts/{draft.pk}/enclosures/", {"files": [named(make_pdf("ก", variant=41), "ก.pdf"),
                                                              named(b"PK\x03\x04" + bytes(30), "ข.xlsx")],
                                                    "once": "a1"})
    assert r.status_code == 302
    ids = [str(e.pk) for e in draft.enclosures.order_by("order")]
    page = web.get(f"/drafts/{draft.pk}/").content.decode()
    assert 'id="enclosures"' in page and "ก.pdf" in page and "ข.xlsx" in page
    web.post(f"/drafts/{draft.pk}/enclosures/arrange/", {"enclosure_id": ids, f"title-{ids[1]}": "ตาราง 1 แผ่น",
                                                         "up": ids[1], "once": "a2"})
    assert [(e.name, e.title) for e in draft.enclosures.order_by("order")] == [("ข.xlsx", "ตาราง 1 แผ่น"),
                                                                               ("ก.pdf", "ก")]
    draft.refresh_from_db()
    from saraban.drafting import queries

    assert queries.version(draft).content["enclosures"] == ["ตาราง 1 แผ่น", "ก"]
    web.post(f"/drafts/{draft.pk}/enclosures/arrange/", {"remove": ids[0], "once": "a3"})
    assert [e.name for e in draft.enclosures.all()] == ["ข.xlsx"]
    r = web.post(f"/drafts/{draft.pk}/enclosures/", {"files": [named(b"MZ\x90\x00", "setup.exe")], "once": "a4"},
                 follow=True)
    assert "ไฟล์โปรแกรม" in r.content.decode() and draft.enclosures.count() == 1
    other = Client()
    other.force_login(user("registrar"))
    assert other.post(f"/drafts/{draft.pk}/enclosures/", {"files": [named(b"x", "a.txt")]}).status_code == 404


def test_desk_upload_makes_one_item_and_the_editor_arranges_it(org, clock) -> None:
    web = Client()
    web.force_login(user("registrar"))
    r = web.post("/intake/upload/", {"file": [named(make_pdf(variant=51), "ปก.pdf"),
                                              named(make_pdf(variant=52), "หนังสือ.pdf"),
                                              named(b"PK\x03\x04" + bytes(10), "ตาราง.xlsx")]}, follow=True)
    assert "สิ่งที่ส่งมาด้วย 2 ไฟล์" in r.content.decode()
    item = IntakeItem.objects.get()
    files = {f.name: str(f.pk) for f in item.files.all()}
    r = web.post(f"/intake/{item.pk}/files/", {"file_id": [files["ปก.pdf"], files["หนังสือ.pdf"], files["ตาราง.xlsx"]],
                                              "letter": files["หนังสือ.pdf"], f"title-{files['ตาราง.xlsx']}": "ตาราง",
                                              "their_ref": "ศธ 1/2"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'value="ศธ 1/2"' in r.content.decode()
    assert [(f.role, f.name) for f in item.files.order_by("order")] == [
        ("letter", "หนังสือ.pdf"), ("enclosure", "ปก.pdf"), ("enclosure", "ตาราง.xlsx")]
    r = web.post(f"/intake/{item.pk}/files/", {"letter": files["ตาราง.xlsx"]}, HTTP_HX_REQUEST="true")
    assert r.status_code == 415 and "PDF" in r.content.decode()
    r = web.post("/intake/upload/", {"file": [named(make_pdf(variant=53), "a.pdf"), named(b"", "empty.pdf")]},
                 follow=True)
    assert "ไฟล์ว่างเปล่า" in r.content.decode() and IntakeItem.objects.count() == 1


def test_choosing_another_letter_prefills_from_it(org, clock) -> None:
    import datetime as dt

    from saraban.demo.content import sample_letter_pdf

    cover = sample_letter_pdf("ศธ 0201/1", "กระทรวงศึกษาธิการ", "ปลัดกระทรวง", "ใบปะหน้าเอกสาร", dt.date(2026, 2, 1))
    real = sample_letter_pdf("ศธ 0201/77", "กระทรวงศึกษาธิการ", "ปลัดกระทรวง", "ขอความร่วมมือสำรวจข้อมูล",
                             dt.date(2026, 3, 1))
    web = Client()
    web.force_login(user("registrar"))
    web.post("/intake/upload/", {"file": [named(cover, "ปก.pdf"), named(real, "จริง.pdf")]})
    item = IntakeItem.objects.get()
    assert item.metadata["their_ref"] == "ศธ 0201/1" and item.subject == "ใบปะหน้าเอกสาร"
    files = {f.name: str(f.pk) for f in item.files.all()}
    # the form still shows the cover's pre-filled values, one of them corrected by the officer
    r = web.post(f"/intake/{item.pk}/files/", {"letter": files["จริง.pdf"], "their_ref": "ศธ 0201/1",
                                              "their_date": "1/2/2569", "subject": "ใบปะหน้าเอกสาร",
                                              "sender": "กระทรวงศึกษาธิการ (แก้แล้ว)"}, HTTP_HX_REQUEST="true")
    page = r.content.decode()
    assert 'value="ศธ 0201/77"' in page and 'value="1/3/2569"' in page and "ขอความร่วมมือสำรวจข้อมูล" in page
    assert 'value="กระทรวงศึกษาธิการ (แก้แล้ว)"' in page  # what the officer typed stays
    item.refresh_from_db()
    assert item.metadata["their_ref"] == "ศธ 0201/77" and item.subject == "ขอความร่วมมือสำรวจข้อมูล"
