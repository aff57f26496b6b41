"""Intake queue, registering from it, listing and exporting registers, cancelling through the API."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import tempfile

import pytest
from openpyxl import load_workbook

from saraban.intake.models import IntakeItem
from tests.fixtures import make_pdf, meta, user

pytestmark = pytest.mark.django_db


def submit(api, pdf: bytes, **m):
    f = io.BytesIO(pdf)
    f.name = "in.pdf"
    return api.post_multipart("/intake", {"file": f, "metadata": json.dumps(m, ensure_ascii=False)})


def test_queue_is_ordered_by_urgency_then_arrival(registrar_api, clock) -> None:
    order = [("normal", "a"), ("most_urgent", "b"), ("urgent", "c"), ("most_urgent", "d"), ("very_urgent", "e")]
    for i, (urgency, subject) in enumerate(order):
        assert submit(registrar_api, make_pdf(variant=i + 1), urgency=urgency, subject=subject).status_code == 201
        clock.advance(minutes=1)
    items = registrar_api.get("/intake").json()
    assert [i["subject"] for i in items] == ["b", "d", "e", "c", "a"]
    assert all(i["channel"] == "upload" and i["id"] for i in items)


def test_register_from_intake_with_overrides(registrar_api, clock) -> None:
    item = submit(registrar_api, make_pdf(), subject="ร่าง", their_ref="นร 0105/7").json()
    r = registrar_api.post_json(f"/intake/{item['id']}/register", meta(their_ref="นร 0105/7", subject="เรื่องจริง"))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["registration"]["number"] == 1
    letter = registrar_api.get(f"/letters/{body['id']}").json()
    assert letter["subject"] == "เรื่องจริง" and letter["channel"] == "upload"
    assert registrar_api.get("/intake").json() == []
    again = registrar_api.post_json(f"/intake/{item['id']}/register", {})
    assert (again.status_code, again.json()["code"]) == (409, "intake_closed")


def test_register_from_intake_incomplete_metadata_changes_nothing(registrar_api, clock) -> None:
    item = submit(registrar_api, make_pdf(), subject="ไม่มีวันที่").json()
    r = registrar_api.post_json(f"/intake/{item['id']}/register", {})
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"
    assert "ลงวันที่" in r.json()["message_th"]
    assert IntakeItem.objects.get(pk=item["id"]).status == "pending"
    assert registrar_api.get("/registers/received/2569").json()["entries"] == []


def test_reject_intake_needs_reason(registrar_api, clock) -> None:
    item = submit(registrar_api, make_pdf(), subject="ส่งผิด").json()
    assert registrar_api.post_json(f"/intake/{item['id']}/reject", {"reason": ""}).json()["code"] == "reason_required"
    r = registrar_api.post_json(f"/intake/{item['id']}/reject", {"reason": "ส่งผิดหน่วยงาน"})
    assert r.status_code == 200 and r.json()["status"] == "rejected"


def test_reject_intake_with_a_coded_reason(registrar_api, client, clock) -> None:
    from saraban.audit.models import AuditEvent

    item = submit(registrar_api, make_pdf(), subject="ไม่ครบ").json()
    bad = registrar_api.post_json(f"/intake/{item['id']}/reject", {"reason_code": "NO_SUCH", "reason": "x"})
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_reason_code") and bad.json()["message_th"]
    assert IntakeItem.objects.get(pk=item["id"]).status == "pending"  # nothing changed
    r = registrar_api.post_json(f"/intake/{item['id']}/reject", {"reason_code": "INCOMPLETE", "reason": ""})
    assert r.status_code == 200 and r.json()["status_reason"] == "หนังสือหรือสิ่งที่ส่งมาด้วยไม่ครบถ้วน"
    done = IntakeItem.objects.get(pk=item["id"])
    assert (done.status, done.status_reason) == ("rejected", "หนังสือหรือสิ่งที่ส่งมาด้วยไม่ครบถ้วน")  # the code's words
    event = AuditEvent.objects.filter(action="intake.reject").latest("seq")
    assert event.data["reason_code"] == "INCOMPLETE"

    # the desk's return form offers the same list
    other = submit(registrar_api, make_pdf(variant=2), subject="ส่งผิดกรม").json()
    client.force_login(user("registrar"))
    page = client.get(f"/intake/{other['id']}/").content.decode()
    assert 'name="reason_code"' in page and "ไม่ใช่หน่วยงานผู้รับ (ส่งผิดหน่วยงาน)" in page
    client.post(f"/intake/{other['id']}/reject/", {"reason_code": "NOT_ADDRESSEE", "reason": "เป็นเรื่องของ สพธอ."})
    done = IntakeItem.objects.get(pk=other["id"])
    assert (done.status, done.status_reason) == ("rejected", "เป็นเรื่องของ สพธอ.")


def test_intake_refuses_top_secret_and_bad_files(registrar_api, clock) -> None:
    assert submit(registrar_api, make_pdf(), secrecy="top_secret").json()["code"] == "top_secret_refused"
    assert submit(registrar_api, b"hello").json()["code"] == "not_pdf"
    assert not IntakeItem.objects.exists()


def test_register_listing_filters_and_exports(registrar_api, clock) -> None:
    for i in range(3):
        registrar_api.incoming(meta(their_ref=f"นร 0105/{i}", subject=f"เรื่องที่ {i} การประชุม"))
    entry = registrar_api.get("/registers/received/2569").json()["entries"][1]
    registrar_api.post_json(f"/registrations/{entry['id']}/cancel", {"reason": "ซ้ำ"})
    reg = registrar_api.get("/registers/received/2569").json()
    assert [e["number"] for e in reg["entries"]] == [1, 2, 3]
    assert [e["cancelled"] for e in reg["entries"]] == [False, True, False]
    e = reg["entries"][0]
    assert {"number", "display", "their_ref", "subject", "registered_at", "cancelled"} <= set(e)
    assert registrar_api.get("/registers/received/2569", q="เรื่องที่ 2").json()["entries"][0]["number"] == 3
    assert [x["number"] for x in registrar_api.get("/registers/received/2569", q="๒").json()["entries"]] == [2, 3]
    assert registrar_api.get("/registers/received/2569", cancelled="true").json()["entries"][0]["number"] == 2
    assert registrar_api.get("/registers/received/2569", unit="ops-finance").status_code == 404
    assert registrar_api.get("/registers/nonsense/2569").json()["code"] == "unknown_book"
    assert registrar_api.get("/registers/received/2026").json()["code"] == "invalid_year"

    exported = registrar_api.get("/registers/received/2569/export.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0][:8] == ["เลขทะเบียนรับ", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ", "หมายเหตุ"]
    assert [r[0] for r in rows[1:]] == ["1", "2", "3"] and "ยกเลิก: ซ้ำ" in rows[2][7]

    wb = load_workbook(io.BytesIO(registrar_api.get("/registers/received/2569/export.xlsx").content))
    ws = wb.active
    assert ws["A2"].value == "เลขทะเบียนรับ" and ws["A3"].value == 1 and ws["F4"].value == "เรื่องที่ 1 การประชุม"

    pdf = registrar_api.get("/registers/received/2569/export.pdf").content
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        text = subprocess.run(["pdftotext", "-raw", fh.name, "-"], capture_output=True, text=True).stdout
    assert "ทะเบียนหนังสือรับ วันที่ 3 เดือน มีนาคม พ.ศ. 2569" in text
    flat = "".join(text.split())
    assert "เลขทะเบียนรับที่ลงวันที่จากถึงเรื่องการปฏิบัติหมายเหตุ" in flat  # the eight columns, in order
    assert "เรื่องที่2การประชุม" in flat and "ยกเลิก:ซ้ำ" in flat
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True).stdout.decode()
    assert "Sarabun" in fonts


def test_outgoing_via_api(registrar_api, clock) -> None:
    r = registrar_api.outgoing({"addressee": "อธิบดีกรมศิลปากร", "subject": "ขอส่งบัญชีหนังสือขอทำลาย"},
                               pdf=make_pdf())
    assert r.status_code == 201
    assert r.json()["registration"]["display"] == "ดศ 0201/1"
    r = registrar_api.outgoing({"addressee": "ทุกส่วนราชการ", "subject": "แจ้งเวียน", "book": "circular"})
    assert r.json()["registration"]["display"] == "ดศ 0201/ว 1"
    r = registrar_api.outgoing({"addressee": "x", "subject": "y", "book": "secret_sent"})
    assert r.json()["code"] == "book_mismatch"
    reg = registrar_api.get("/registers/sent/2569").json()
    assert reg["entries"][0]["their_ref"] == "ดศ 0201/1"


def test_openapi_document(registrar_api) -> None:
    doc = registrar_api.client.get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    for p in ["/api/v1/letters/incoming", "/api/v1/letters/outgoing", "/api/v1/registrations/{entry_id}/cancel",
              "/api/v1/registers/{book}/{year}", "/api/v1/letters/{letter_id}", "/api/v1/intake",
              "/api/v1/intake/{item_id}/register"]:
        assert p in paths, p
    assert "bearer" in json.dumps(doc["components"]["securitySchemes"]).lower()


def test_orders_announcements_and_certificates_need_no_addressee(registrar_api, clock) -> None:
    for book, display in (("order", "1/2569"), ("announcement", "1/2569"), ("certificate", "1/2569")):
        r = registrar_api.outgoing({"subject": f"ทดสอบ{book}", "book": book, "kind": "directive"})
        assert r.status_code == 201, r.json()
        assert r.json()["registration"]["display"] == display
    r = registrar_api.outgoing({"subject": "หนังสือไม่มีผู้รับ"})  # a letter still needs its addressee
    assert r.status_code == 422 and r.json()["code"] == "addressee_required"
    assert r.json()["message_th"] and r.json()["message_en"]
