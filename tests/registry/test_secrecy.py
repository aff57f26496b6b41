"""Secrecy from day one: ลับที่สุด stays out, ลับ/ลับมาก go to secret books, encrypted, need-to-know, logged."""

from __future__ import annotations

import pytest

from saraban.audit.models import AuditEvent
from saraban.kernel.models import secrecy_from_legacy
from saraban.letters.models import LetterFile
from saraban.registry.models import RegisterEntry
from saraban.storage.blobs import store
from tests.fixtures import make_pdf, meta

pytestmark = pytest.mark.django_db


def test_top_secret_is_refused_with_a_reason(api_for, clock) -> None:
    r = api_for("secretary").incoming(meta(secrecy="top_secret"))
    assert (r.status_code, r.json()["code"]) == (422, "top_secret_refused")
    assert "ลับที่สุด" in r.json()["message_th"] and "outside" in r.json()["message_en"]
    assert not RegisterEntry.objects.exists()
    r = api_for("registrar").outgoing({"addressee": "x", "subject": "y", "secrecy": "top_secret"})
    assert r.json()["code"] == "top_secret_refused"


def test_top_secret_placeholder_only(api_for, clock) -> None:
    sec = api_for("secretary")
    r = sec.post_json("/letters/top-secret-placeholder", {"their_ref": "กห 0201/ลับ 5", "sender": "กระทรวงกลาโหม",
                                                          "addressee": "ปลัดกระทรวง", "letter_date": "2026-03-01"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["registration"]["book"] == "secret_received"
    letter = sec.get(f"/letters/{body['id']}").json()
    assert letter["status"] == "outside" and letter["files"] == []
    assert "นอกระบบ" in letter["subject"]
    # an uncleared registrar can neither record nor see it
    reg = api_for("registrar")
    assert reg.post_json("/letters/top-secret-placeholder", {"their_ref": "x"}).status_code == 403
    assert reg.get(f"/letters/{body['id']}").status_code == 404


def test_secret_letter_goes_to_secret_book_encrypted(api_for, clock) -> None:
    pdf = make_pdf("เรื่องลับมาก")
    sec = api_for("secretary")
    r = sec.incoming(meta(secrecy="secret", subject="แผนรักษาความปลอดภัย"), pdf=pdf)
    assert r.status_code == 201, r.content
    reg = r.json()["registration"]
    assert (reg["book"], reg["number"], reg["display"]) == ("secret_received", 1, "1")
    original = LetterFile.objects.get(letter_id=r.json()["id"], role="letter")
    assert original.blob.encrypted
    raw = store()._path(original.blob.sha256, True).read_bytes()
    assert pdf not in raw and b"%PDF" not in raw[:64]
    assert not store().exists(original.blob.sha256, encrypted=False)
    # the cleared secret registrar reads it, and the read is logged
    before = AuditEvent.objects.filter(action="letter.read_classified").count()
    got = sec.client.get(f"/api/v1/letters/{r.json()['id']}/files/{original.pk}", **sec.headers)
    assert got.content == pdf
    assert AuditEvent.objects.filter(action="letter.read_classified").count() == before + 1


def test_uncleared_people_cannot_register_or_see_secrets(api_for, clock) -> None:
    reg = api_for("registrar")
    r = reg.incoming(meta(secrecy="confidential"))
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    letter_id = api_for("secretary").incoming(meta(secrecy="confidential")).json()["id"]
    assert reg.get(f"/letters/{letter_id}").status_code == 404
    f = LetterFile.objects.get(letter_id=letter_id, role="letter")
    assert reg.client.get(f"/api/v1/letters/{letter_id}/files/{f.pk}", **reg.headers).status_code == 404
    assert reg.get("/registers/secret_received/2569", unit="ops-central").status_code == 404
    assert api_for("director").get(f"/letters/{letter_id}").status_code == 404  # cleared, but no need-to-know


def test_secretary_cleared_for_secret_not_more(api_for, clock) -> None:
    sec = api_for("secretary")
    assert sec.incoming(meta(secrecy="confidential")).status_code == 201
    assert sec.get("/registers/secret_received/2569").json()["entries"][0]["number"] == 1


def test_legacy_pokpid_counts_as_confidential() -> None:
    assert secrecy_from_legacy("ปกปิด") == "confidential"
    assert secrecy_from_legacy("ลับมาก") == "secret"
    with pytest.raises(ValueError):
        secrecy_from_legacy("ลับสุดยอด")
