"""POST /api/v1/letters/incoming and friends: the happy path, every kind of bad input, idempotency."""

from __future__ import annotations

import hashlib
import io
import json

import pikepdf
import pytest
from django.conf import settings

from saraban.audit.models import AuditEvent
from saraban.letters.models import Letter, LetterFile
from saraban.registry.models import RegisterEntry
from saraban.storage.blobs import store
from tests.fixtures import make_pdf, meta

pytestmark = pytest.mark.django_db


def blob_files() -> set[tuple[str, bool]]:
    return set(store().keys())


def test_register_incoming(registrar_api, clock, django_capture_on_commit_callbacks) -> None:
    pdf = make_pdf()
    with django_capture_on_commit_callbacks(execute=True):
        r = registrar_api.incoming(meta())
    assert r.status_code == 201, r.content
    body = r.json()
    reg = body["registration"]
    assert (reg["book"], reg["year"], reg["number"], reg["display"]) == ("received", 2569, 1, "1")
    assert reg["unit"] == "ops-central"
    letter = registrar_api.get(f"/letters/{body['id']}").json()
    assert letter["letter_uuid"] == body["letter_uuid"]
    assert letter["their_ref"] == "นร 0105/ว 123"
    roles = {f["role"]: f for f in letter["files"]}
    assert set(roles) == {"letter", "presentation"}
    # the original is bit-identical, with its SHA-256 recorded
    original = registrar_api.client.get(roles["letter"]["url"], **registrar_api.headers)
    assert original.content == pdf
    assert roles["letter"]["sha256"] == hashlib.sha256(pdf).hexdigest() == original["X-Content-SHA256"]
    # the presentation copy derives from it and carries the stamp
    assert roles["presentation"]["derived_from"] == roles["letter"]["id"]
    stamped = registrar_api.client.get(roles["presentation"]["url"], **registrar_api.headers).content
    assert stamped != pdf
    with pikepdf.open(io.BytesIO(stamped)) as p:
        assert len(p.pages) == 1


def test_thai_digits_and_hostile_strings_are_kept_as_printed(registrar_api, clock) -> None:
    hostile = "<script>alert('x')</script> ' OR 1=1 -- \u202e"
    r = registrar_api.incoming(meta(their_ref="ที่ นร ๐๑๐๕/ว ๑๒๓", subject=hostile))
    assert r.status_code == 201
    letter = Letter.objects.get()
    assert letter.their_ref == "ที่ นร ๐๑๐๕/ว ๑๒๓"
    assert letter.subject == hostile
    assert letter.ref_norm == "ที่ นร 0105/ว 123"


@pytest.mark.parametrize("field,value,code", [
    ("urgency", "urgentest", "invalid_input"),
    ("secrecy", "ปกปิด", "invalid_input"),
    ("kind", "letter", "invalid_input"),
    ("their_date", "28/02/2026", "invalid_input"),
    ("subject", "   ", "invalid_input"),
    ("sender", "", "invalid_input"),
    ("unit", "no-such-unit", "unknown_unit"),
    ("their_date", "2026-03-04", "future_date"),
    ("secrecy", "top_secret", "top_secret_refused"),
    ("surprise", "field", "invalid_input"),
])
def test_bad_metadata_changes_nothing(registrar_api, clock, field, value, code) -> None:
    before = (blob_files(), AuditEvent.objects.count())
    r = registrar_api.incoming(meta(**{field: value}))
    assert 400 <= r.status_code < 500
    body = r.json()
    assert body["code"] == code
    assert body["message_th"] and body["message_en"] and body["message"] == body["message_th"]
    assert not RegisterEntry.objects.exists() and not Letter.objects.exists()
    assert (blob_files(), AuditEvent.objects.count()) == before
    # the next good registration still gets number 1
    assert registrar_api.incoming(meta()).json()["registration"]["number"] == 1


def _truncated() -> bytes:
    return make_pdf()[:400]


@pytest.mark.parametrize("payload,code,status", [
    (b"", "file_empty", 422),
    (b"GIF89a not a pdf", "not_pdf", 415),
    (b"%PDF-1.7\n" + b"\x00garbage" * 50, "pdf_corrupt", 422),
    ("truncated", "pdf_corrupt", 422),
])
def test_bad_files_change_nothing(registrar_api, clock, payload, code, status) -> None:
    data = _truncated() if payload == "truncated" else payload
    before = blob_files()
    r = registrar_api.incoming(meta(), pdf=data)
    assert (r.status_code, r.json()["code"]) == (status, code)
    assert blob_files() == before and not RegisterEntry.objects.exists()


def test_password_protected_pdf_is_refused(registrar_api, clock) -> None:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(make_pdf())) as p:
        p.save(out, encryption=pikepdf.Encryption(owner="o", user="secret"))
    r = registrar_api.incoming(meta(), pdf=out.getvalue())
    assert r.json()["code"] == "pdf_encrypted"


def test_oversized_upload(registrar_api, clock, settings) -> None:
    settings.MAX_UPLOAD_BYTES = 20_000
    big = make_pdf() + b"%" + b"x" * 25_000
    r = registrar_api.incoming(meta(), pdf=big)
    assert (r.status_code, r.json()["code"]) == (413, "file_too_large")
    assert "MB" in r.json()["message_th"]
    assert not RegisterEntry.objects.exists()


def test_missing_parts(registrar_api, clock) -> None:
    r = registrar_api.post_multipart("/letters/incoming", {"metadata": json.dumps(meta())})
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"
    f = io.BytesIO(make_pdf())
    f.name = "a.pdf"
    r = registrar_api.post_multipart("/letters/incoming", {"file": f, "metadata": "{not json"})
    assert r.json()["code"] == "invalid_json"


def test_tokens(api_for, clock) -> None:
    from django.test import Client

    c = Client()
    r = c.get("/api/v1/intake")
    assert (r.status_code, r.json()["code"]) == (401, "auth_required")
    r = c.get("/api/v1/intake", HTTP_AUTHORIZATION="Bearer sbt_nope")
    assert (r.status_code, r.json()["code"]) == (401, "token_invalid")
    from saraban.api.actions import create_token
    from tests.fixtures import user

    _, token = create_token(user("registrar"), days=1)
    assert c.get("/api/v1/intake", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    clock.advance(days=2)
    r = c.get("/api/v1/intake", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert (r.status_code, r.json()["code"]) == (401, "token_expired")
    assert "หมดอายุ" in r.json()["message_th"]


def test_likely_duplicate_409_unless_confirmed(registrar_api, clock) -> None:
    first = registrar_api.incoming(meta()).json()
    r = registrar_api.incoming(meta(their_ref="นร ๐๑๐๕/ว ๑๒๓"), pdf=make_pdf(variant=1))  # same ที่ in Thai digits
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "likely_duplicate"
    assert body["details"]["registration"]["id"] == first["registration"]["id"]
    assert RegisterEntry.objects.count() == 1
    r = registrar_api.incoming(meta(allow_duplicate=True), pdf=make_pdf(variant=1))
    assert r.status_code == 201 and r.json()["registration"]["number"] == 2
    assert str(Letter.objects.get(pk=r.json()["id"]).duplicate_of_id) == first["id"]


def test_idempotency_key(registrar_api, clock) -> None:
    a = registrar_api.incoming(meta(), key="retry-1")
    b = registrar_api.incoming(meta(), key="retry-1")
    assert a.status_code == b.status_code == 201
    assert a.json() == b.json()
    assert RegisterEntry.objects.count() == 1
    c = registrar_api.incoming(meta(subject="อื่น", their_ref="x/1"), key="retry-1")
    assert (c.status_code, c.json()["code"]) == (422, "idempotency_key_reused")
    assert RegisterEntry.objects.count() == 1


def test_upload_files_are_named_and_listed(registrar_api, clock) -> None:
    r = registrar_api.incoming(meta(), name="หนังสือ สลค.pdf")
    files = LetterFile.objects.filter(letter_id=r.json()["id"])
    assert [f.name for f in files] == ["หนังสือ สลค.pdf"]
    assert settings.MAX_UPLOAD_BYTES == 50 * 1024 * 1024
