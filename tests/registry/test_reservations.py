"""จองเลข: reserve a number for a letter typed elsewhere, attach its PDF later (optionally stamped with the number
and date), or cancel the reservation with a reason — the number stays in the book, marked."""

from __future__ import annotations

import io
import json

import pypdfium2
import pytest
from django.test import Client

from saraban.letters.models import Letter, LetterFile
from saraban.registry.models import RegisterBook, RegisterEntry
from saraban.storage import blobs
from tests.fixtures import make_pdf, user

pytestmark = pytest.mark.django_db


def named(data: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def page_text(pdf: bytes) -> str:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return doc[0].get_textpage().get_text_range()
    finally:
        doc.close()


def reserve(api) -> dict:  # type: ignore[no-untyped-def]
    meta = {"addressee": "อธิบดีกรมศิลปากร", "subject": "ขอเชิญร่วมงานนิทรรศการ", "kind": "external"}
    r = api.post_multipart("/letters/outgoing", {"metadata": json.dumps(meta, ensure_ascii=False)})
    assert r.status_code == 201, r.content
    return r.json()


def test_reserve_attach_later_with_the_number_stamped(registrar_api, clock,
                                                      django_capture_on_commit_callbacks) -> None:
    reserved = reserve(registrar_api)
    number = reserved["registration"]["display"]
    assert registrar_api.get(f"/letters/{reserved['id']}").json()["files"] == []
    r = registrar_api.post_json(f"/letters/{reserved['id']}/dispatch", {"recipients": ["tmd"]})
    assert r.status_code == 422 and r.json()["code"] == "letter_not_signed"

    pdf = make_pdf("หนังสือที่พิมพ์จากระบบอื่น")
    bad = registrar_api.post_multipart(f"/letters/{reserved['id']}/file", {"file": named(b"MZ\0\0", "x.pdf")})
    assert bad.status_code == 415 and bad.json()["code"] == "not_pdf"
    assert not LetterFile.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        r = registrar_api.post_multipart(f"/letters/{reserved['id']}/file", {
            "file": named(pdf, "หนังสือ.pdf"), "enclosures": [named(make_pdf("แผนที่", variant=3), "แผนที่.pdf")],
            "stamp": "true"})
    assert r.status_code == 201, r.content
    files = {f["role"]: f for f in r.json()["files"]}
    assert set(files) == {"letter", "enclosure"} and r.json()["dispatch_state"] == "awaiting"
    letter = Letter.objects.get(pk=reserved["id"])
    numbered = LetterFile.objects.get(letter=letter, role="numbered")
    assert numbered.derived_from_id is not None and numbered.derived_from.role == "letter"
    assert blobs.read(LetterFile.objects.get(letter=letter, role="letter").blob) == pdf  # the original is kept
    text = page_text(blobs.read(numbered.blob))
    assert number in text and "ลงวันที่ 3 มีนาคม 2569" in text
    from saraban.exchange.build import letter_file

    assert letter_file(letter).pk == numbered.pk  # the stamped copy is what is sent
    again = registrar_api.post_multipart(f"/letters/{reserved['id']}/file", {"file": named(pdf, "b.pdf")})
    assert again.status_code == 409 and again.json()["code"] == "file_already_attached"


def test_cancel_a_reservation_keeps_the_number_marked(registrar_api, clock) -> None:
    reserved = reserve(registrar_api)
    entry_id = reserved["registration"]["id"]
    r = registrar_api.post_json(f"/registrations/{entry_id}/cancel", {"reason": "เปลี่ยนเป็นหนังสือภายใน"})
    assert r.status_code == 200 and r.json()["cancelled"] is True
    entry = RegisterEntry.objects.get(pk=entry_id)
    assert entry.cancelled and entry.cancel_reason == "เปลี่ยนเป็นหนังสือภายใน" and entry.number == 1
    assert RegisterBook.objects.get(kind="sent").last_number == 1  # stays in the book, never reused
    r = registrar_api.post_multipart(f"/letters/{reserved['id']}/file", {"file": named(make_pdf(), "a.pdf")})
    assert r.status_code == 409 and r.json()["code"] == "letter_cancelled"
    nxt = reserve(registrar_api)
    assert nxt["registration"]["number"] == 2


def test_the_letter_page_offers_attach_and_cancel(org, clock, django_capture_on_commit_callbacks) -> None:
    web = Client()
    web.force_login(user("registrar"))
    r = web.post("/outgoing/", {"addressee": "อธิบดีกรมศิลปากร", "subject": "จองเลขจากหน้าเว็บ", "kind": "external",
                                "book": "sent", "urgency": "normal", "secrecy": "normal", "once": "t1"})
    assert r.status_code == 302, r.content
    page = web.get(r["Location"]).content.decode()
    assert 'id="reservation"' in page and "จองเลขไว้" in page and "ยกเลิกการจองเลข" in page
    letter = Letter.objects.get(subject="จองเลขจากหน้าเว็บ")
    with django_capture_on_commit_callbacks(execute=True):
        r = web.post(f"/letters/{letter.pk}/attach/", {"file": named(make_pdf(), "a.pdf"), "stamp": "1",
                                                       "once": "t2"})
    assert r.status_code == 302
    assert set(letter.files.values_list("role", flat=True)) == {"letter", "numbered"}
    page = web.get(f"/letters/{letter.pk}/").content.decode()
    assert 'id="reservation"' not in page and "ลงนามแล้ว รอส่ง" in page
