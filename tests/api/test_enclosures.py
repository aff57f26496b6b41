"""Enclosures over the API: incoming and outgoing letters and queued items carry them, drafts attach them;
what is empty, too large, a program or a web page is refused with a code and changes nothing."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

from saraban.intake.models import IntakeItem
from saraban.letters.models import Letter, LetterFile
from saraban.registry.models import RegisterBook, RegisterEntry
from saraban.storage.blobs import store
from tests.fixtures import make_pdf, meta

pytestmark = pytest.mark.django_db


def named(data: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("[Content_Types].xml", (2026, 1, 1, 0, 0, 0)), "<Types/>")
        z.writestr(zipfile.ZipInfo("word/document.xml", (2026, 1, 1, 0, 0, 0)), "<w:document>ตาราง</w:document>")
    return out.getvalue()


XLSX = b"PK\x03\x04" + b"\x00" * 60 + "งบประมาณ".encode()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def post_incoming(api, files: list[tuple[bytes, str]], titles: list[str] | None = None, **over):  # type: ignore[no-untyped-def]
    data = {"file": named(make_pdf(), "หนังสือ.pdf"), "metadata": json.dumps(meta(**over), ensure_ascii=False),
            "enclosures": [named(d, n) for d, n in files]}
    if titles is not None:
        data["enclosure_titles"] = json.dumps(titles, ensure_ascii=False)
    return api.post_multipart("/letters/incoming", data)


def test_incoming_letter_carries_its_enclosures(registrar_api, clock, django_capture_on_commit_callbacks) -> None:
    enc_pdf, enc_docx = make_pdf("สิ่งที่ส่งมาด้วย 1", variant=4), docx()
    with django_capture_on_commit_callbacks(execute=True):
        r = post_incoming(registrar_api, [(enc_pdf, "กำหนดการ.pdf"), (enc_docx, "แบบตอบรับ.docx"), (XLSX, "งบ.xlsx")],
                          titles=["กำหนดการประชุม จำนวน 1 ฉบับ"])
    assert r.status_code == 201, r.content
    letter = registrar_api.get(f"/letters/{r.json()['id']}").json()
    parts = [f for f in letter["files"] if f["role"] in ("letter", "enclosure")]
    assert [f["role"] for f in parts] == ["letter", "enclosure", "enclosure", "enclosure"]
    assert [f["name"] for f in parts[1:]] == ["กำหนดการ.pdf", "แบบตอบรับ.docx", "งบ.xlsx"]
    assert [f["title"] for f in parts[1:]] == ["กำหนดการประชุม จำนวน 1 ฉบับ", "แบบตอบรับ", "งบ"]
    assert [f["order"] for f in parts[1:]] == [1, 2, 3]
    assert parts[2]["sha256"] == hashlib.sha256(enc_docx).hexdigest() and parts[2]["size"] == len(enc_docx)
    # the receipt stamp goes on the letter only; enclosures keep their bytes
    stamped = [f for f in letter["files"] if f["role"] == "presentation"]
    assert len(stamped) == 1 and stamped[0]["derived_from"] == parts[0]["id"]
    got = registrar_api.client.get(parts[1]["url"], **registrar_api.headers)
    assert got.content == enc_pdf
    saved = registrar_api.client.get(parts[2]["url"], **registrar_api.headers)
    assert saved.content == enc_docx and saved["Content-Disposition"].startswith("attachment")
    assert saved["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize(("data", "name", "code"), [
    (b"", "empty.pdf", "enclosure_empty"),
    (b"MZ\x90\x00" + b"\x00" * 100, "setup.exe", "enclosure_executable"),
    (b"MZ\x90\x00" + b"\x00" * 100, "report.pdf", "enclosure_executable"),  # a program dressed as a PDF
    (b"#!/bin/sh\nrm -rf /\n", "notes.txt", "enclosure_executable"),
    (b"<html><script>alert(1)</script></html>", "page.html", "enclosure_html"),
    (b"<!DOCTYPE html><p>hi</p>", "readme.txt", "enclosure_html"),
    (b"<svg onload=alert(1)>", "logo.svg", "enclosure_html"),
    (b"%PDF-1.7 broken", "broken.pdf", "pdf_corrupt"),
    (b"data", "archive.iso", "enclosure_type"),
])
def test_bad_enclosure_is_refused_and_nothing_registered(registrar_api, clock, data, name, code) -> None:
    before = set(store().keys())
    r = post_incoming(registrar_api, [(PNG, "รูป.png"), (data, name)])
    assert r.status_code in (413, 415, 422), r.content
    body = r.json()
    assert body["code"] == code and body["message_th"] and body["message_en"] and body["details"]["file"] == name
    assert not Letter.objects.exists() and not RegisterEntry.objects.exists() and not LetterFile.objects.exists()
    assert not RegisterBook.objects.filter(last_number__gt=0).exists()
    assert set(store().keys()) == before  # no orphan file


def test_limits_on_count_and_total_size(registrar_api, clock, settings) -> None:
    settings.SARABAN_MAX_ENCLOSURES = 2
    r = post_incoming(registrar_api, [(PNG, "a.png"), (PNG + b"1", "b.png"), (PNG + b"2", "c.png")])
    assert r.status_code == 422 and r.json()["code"] == "too_many_enclosures"
    settings.SARABAN_MAX_ENCLOSURES = 50
    settings.SARABAN_MAX_LETTER_BYTES = len(make_pdf()) + 100
    r = post_incoming(registrar_api, [(PNG + b"x" * 200, "big.png")])
    assert r.status_code == 413 and r.json()["code"] == "letter_too_large"
    settings.SARABAN_MAX_LETTER_BYTES = 10 ** 9
    settings.MAX_UPLOAD_BYTES = 100
    r = post_incoming(registrar_api, [(PNG + b"x" * 200, "big.png")])
    assert r.status_code == 413 and r.json()["code"] in ("file_too_large", "enclosure_too_large")
    assert not RegisterEntry.objects.exists()


def test_outgoing_number_with_enclosures(registrar_api, clock) -> None:
    data = {"metadata": json.dumps({"addressee": "อธิบดีกรมศิลปากร", "subject": "ส่งเอกสาร", "kind": "external"},
                                   ensure_ascii=False),
            "file": named(make_pdf(), "out.pdf"), "enclosures": [named(docx(), "รายละเอียด.docx")],
            "enclosure_titles": json.dumps(["รายละเอียดโครงการ"], ensure_ascii=False)}
    r = registrar_api.post_multipart("/letters/outgoing", data)
    assert r.status_code == 201, r.content
    files = registrar_api.get(f"/letters/{r.json()['id']}").json()["files"]
    assert [(f["role"], f["title"]) for f in files] == [("letter", ""), ("enclosure", "รายละเอียดโครงการ")]
    bad = {**data, "file": named(make_pdf(), "out.pdf"), "enclosures": [named(b"MZ" + b"\0" * 10, "x.exe")]}
    r = registrar_api.post_multipart("/letters/outgoing", bad)
    assert r.status_code == 415 and r.json()["code"] == "enclosure_executable"
    assert RegisterBook.objects.get(kind="sent").last_number == 1  # the refused one took no number


def test_queue_item_reorder_and_choose_the_letter(registrar_api, clock) -> None:
    data = {"file": named(make_pdf(), "ปก.pdf"), "metadata": json.dumps({"subject": "หนังสือพร้อมเอกสาร"}),
            "enclosures": [named(make_pdf("จริง", variant=2), "หนังสือจริง.pdf"), named(docx(), "แบบ.docx")]}
    r = registrar_api.post_multipart("/intake", data)
    assert r.status_code == 201, r.content
    item = r.json()
    assert [(f["role"], f["name"]) for f in item["files"]] == [
        ("letter", "ปก.pdf"), ("enclosure", "หนังสือจริง.pdf"), ("enclosure", "แบบ.docx")]
    ids = {f["name"]: f["id"] for f in item["files"]}
    put = registrar_api.client.put
    body = {"order": [ids["แบบ.docx"], ids["ปก.pdf"], ids["หนังสือจริง.pdf"]], "letter": ids["หนังสือจริง.pdf"],
            "titles": {ids["แบบ.docx"]: "แบบตอบรับ จำนวน 1 ฉบับ"}}
    r = put(f"/api/v1/intake/{item['id']}/files", json.dumps(body), content_type="application/json",
            **registrar_api.headers)
    assert r.status_code == 200, r.content
    got = registrar_api.get(f"/intake/{item['id']}").json()["files"]
    assert [(f["role"], f["name"], f["order"]) for f in got] == [
        ("letter", "หนังสือจริง.pdf", 0), ("enclosure", "แบบ.docx", 1), ("enclosure", "ปก.pdf", 2)]
    assert got[1]["title"] == "แบบตอบรับ จำนวน 1 ฉบับ"
    # a Word file cannot be the letter
    r = put(f"/api/v1/intake/{item['id']}/files", json.dumps({"letter": ids["แบบ.docx"]}),
            content_type="application/json", **registrar_api.headers)
    assert r.status_code == 415 and r.json()["code"] == "letter_not_pdf"
    r = put(f"/api/v1/intake/{item['id']}/files", json.dumps({"order": [ids["ปก.pdf"]]}),
            content_type="application/json", **registrar_api.headers)
    assert r.status_code == 422 and r.json()["code"] == "invalid_order"
    reg = registrar_api.post_json(f"/intake/{item['id']}/register",
                                  {"their_ref": "วธ 0401/1", "their_date": "2026-03-01", "sender": "กรมศิลปากร",
                                   "addressee": "ปลัด", "subject": "หนังสือพร้อมเอกสาร", "kind": "external"})
    assert reg.status_code == 201, reg.content
    files = registrar_api.get(f"/letters/{reg.json()['id']}").json()["files"]
    parts = [(f["role"], f["name"]) for f in files if f["role"] in ("letter", "enclosure")]
    assert parts == [("letter", "หนังสือจริง.pdf"), ("enclosure", "แบบ.docx"), ("enclosure", "ปก.pdf")]
    assert IntakeItem.objects.get().status == "registered"


def test_draft_enclosures_make_the_enclosure_lines(api_for, org, clock) -> None:
    officer = api_for("officer")
    d = officer.post_json("/drafts", {"kind": "external", "fields": {"subject": "ส่งเอกสาร", "to_title": "อธิบดี",
                                                                     "enclosures": "เอกสารทางไปรษณีย์"}}).json()
    r = officer.post_multipart(f"/drafts/{d['id']}/enclosures", {"file": named(docx(), "กำหนดการ.docx"),
                                                                 "title": "กำหนดการ จำนวน 1 ฉบับ"})
    assert r.status_code == 201, r.content
    first = r.json()
    assert (first["role"], first["title"], first["order"]) == ("enclosure", "กำหนดการ จำนวน 1 ฉบับ", 1)
    second = officer.post_multipart(f"/drafts/{d['id']}/enclosures", {"file": named(PNG, "แผนที่.png")}).json()
    draft = officer.get(f"/drafts/{d['id']}").json()
    assert draft["content"]["enclosures"] == ["กำหนดการ จำนวน 1 ฉบับ", "แผนที่"]
    assert [e["name"] for e in draft["enclosures"]] == ["กำหนดการ.docx", "แผนที่.png"]
    r = officer.client.put(f"/api/v1/drafts/{d['id']}/enclosures",
                           json.dumps({"order": [second["id"], first["id"]], "titles": {second["id"]: "แผนที่ 1 แผ่น"}}),
                           content_type="application/json", **officer.headers)
    assert r.status_code == 200 and [e["title"] for e in r.json()] == ["แผนที่ 1 แผ่น", "กำหนดการ จำนวน 1 ฉบับ"]
    assert officer.get(f"/drafts/{d['id']}").json()["content"]["enclosures"] == ["แผนที่ 1 แผ่น",
                                                                                "กำหนดการ จำนวน 1 ฉบับ"]
    r = officer.client.delete(f"/api/v1/drafts/{d['id']}/enclosures/{second['id']}", **officer.headers)
    assert r.status_code == 200 and len(r.json()) == 1
    got = officer.client.get(first["url"], **officer.headers)
    assert got.content == docx() and got["X-Content-SHA256"] == first["sha256"]
    bad = officer.post_multipart(f"/drafts/{d['id']}/enclosures", {"file": named(b"<html></html>", "x.htm")})
    assert bad.status_code == 415 and bad.json()["code"] == "enclosure_html"
    # someone who cannot see the draft gets the same 404 as for a draft that does not exist
    other = api_for("registrar").post_multipart(f"/drafts/{d['id']}/enclosures", {"file": named(PNG, "a.png")})
    assert other.status_code == 404
