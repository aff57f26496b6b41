"""Every failure is coded: JSON with a ``code`` on the API, a Thai page on the web — never Django's
English HTML 400/500.  Each test sends the hostile request the security review sent."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client, override_settings

from saraban.audit.models import AuditEvent
from saraban.letters.models import Letter
from tests.fixtures import make_pdf, meta, user

pytestmark = pytest.mark.django_db


def _coded(r, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert r.status_code == status, r.content[:300]
    assert r["Content-Type"].startswith("application/json"), r["Content-Type"]
    body = json.loads(r.content)
    assert body["code"] == code
    assert body["message_th"] and body["message_en"]
    return body


def _thai_page(r, status: int, code: str) -> str:  # type: ignore[no-untyped-def]
    assert r.status_code == status
    assert r["Content-Type"].startswith("text/html")
    html = r.content.decode()
    assert f'data-code="{code}"' in html and 'lang="th"' in html
    assert "<script" not in html
    return html


def _nothing_changed(before: tuple[int, int]) -> None:
    assert (Letter.objects.count(), AuditEvent.objects.count()) == before


def _state() -> tuple[int, int]:
    return Letter.objects.count(), AuditEvent.objects.count()


def test_deeply_nested_metadata_is_a_coded_422(registrar_api, clock) -> None:
    registrar_api.client.raise_request_exception = False
    before = _state()
    deep = '{"a":' * 100_000 + "1" + "}" * 100_000  # was: RecursionError, HTML 500
    f = io.BytesIO(make_pdf())
    f.name = "x.pdf"
    _coded(registrar_api.post_multipart("/letters/incoming", {"file": f, "metadata": deep}), 422, "json_too_deep")
    nested = meta(subject={"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {"i": 1}}}}}}}}})
    _coded(registrar_api.incoming(nested), 422, "json_too_deep")
    _nothing_changed(before)


def test_deeply_nested_json_body_is_a_coded_error(registrar_api, clock) -> None:
    registrar_api.client.raise_request_exception = False
    body = '{"reason":' * 50_000 + '"x"' + "}" * 50_000
    r = registrar_api.client.post("/api/v1/letters/top-secret-placeholder", body, content_type="application/json",
                                  **registrar_api.headers)
    assert 400 <= r.status_code < 500
    assert r.json()["code"] == "json_too_deep"
    r = registrar_api.client.post("/api/v1/letters/top-secret-placeholder", "{nope", content_type="application/json",
                                  **registrar_api.headers)
    assert (r.status_code, r.json()["code"]) == (400, "invalid_json")


def test_ten_megabyte_form_field_is_a_coded_413(registrar_api, clock) -> None:
    registrar_api.client.raise_request_exception = False
    before = _state()
    f = io.BytesIO(make_pdf())
    f.name = "x.pdf"
    big = json.dumps(meta(subject="ก" * 4_000_000))  # ~12 MB as UTF-8; was: HTML 400
    _coded(registrar_api.post_multipart("/letters/incoming", {"file": f, "metadata": big}), 413, "field_too_large")
    _nothing_changed(before)


def test_ten_megabyte_field_on_a_web_form_is_a_thai_page(org) -> None:
    c = Client(raise_request_exception=False)
    c.force_login(user("registrar"))
    r = c.post("/outgoing/", {"subject": "x" * 10_500_000})
    _thai_page(r, 413, "field_too_large")


@pytest.mark.parametrize("name", ["a" * 1000 + ".pdf", "ก" * 1000 + ".pdf"])
def test_thousand_character_filename_is_a_coded_4xx(registrar_api, clock, name) -> None:
    registrar_api.client.raise_request_exception = False
    before = _state()
    r = registrar_api.incoming(meta(), name=name)  # was: HTML 400 (Thai) or a name cut to 255 (ASCII)
    assert 400 <= r.status_code < 500
    assert r["Content-Type"].startswith("application/json")
    assert r.json()["code"] == "part_header_too_long"
    _nothing_changed(before)


def test_long_filenames_on_the_desk(org) -> None:
    c = Client(raise_request_exception=False)
    c.force_login(user("registrar"))
    f = io.BytesIO(make_pdf())
    f.name = "ก" * 1000 + ".pdf"
    _thai_page(c.post("/intake/upload/", {"file": f, "subject": "ทดสอบ"}), 400, "part_header_too_long")
    f = io.BytesIO(make_pdf(variant=3))
    f.name = "a" * 400 + ".pdf"  # Django keeps 255 characters, the extension included
    c.post("/intake/upload/", {"file": f, "subject": "ทดสอบ"})
    from saraban.intake.models import IntakeFile

    assert IntakeFile.objects.get().name == "a" * 251 + ".pdf"


def test_upload_names_over_255_characters_are_refused_not_cut() -> None:
    from saraban.letters.enclosures import FilenameTooLong, Upload

    with pytest.raises(FilenameTooLong):
        Upload(b"%PDF", "x" * 256)
    assert Upload(b"%PDF", "x" * 255).name == "x" * 255


def test_unknown_pages_and_api_routes_are_coded(org) -> None:
    c = Client(raise_request_exception=False)
    c.force_login(user("registrar"))
    _thai_page(c.get("/no/such/page/"), 404, "not_found")
    _coded(c.get("/api/v1/no/such/route"), 404, "not_found")


def test_csrf_failure_is_a_thai_page(org) -> None:
    c = Client(enforce_csrf_checks=True, raise_request_exception=False)
    c.force_login(user("registrar"))
    _thai_page(c.post("/outgoing/", {"subject": "x"}), 403, "csrf_failed")


def test_permission_denied_is_a_thai_page(rf) -> None:
    from django.core.exceptions import PermissionDenied

    from saraban.transport.errors import forbidden

    _thai_page(forbidden(rf.get("/x/"), PermissionDenied()), 403, "permission_denied")


def test_server_error_is_a_thai_page_and_coded_json(rf) -> None:
    from saraban.transport.errors import server_error

    _thai_page(server_error(rf.get("/letters/")), 500, "server_error")
    _coded(server_error(rf.get("/api/v1/letters/x")), 500, "server_error")


@override_settings(DEBUG=False)
def test_an_unexpected_exception_on_the_api_is_coded_json(registrar_api, monkeypatch) -> None:
    from saraban.api.routers import me

    def boom(*a, **k):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError

    monkeypatch.setattr(me, "person_for_user", boom)
    registrar_api.client.raise_request_exception = False
    _coded(registrar_api.get("/me"), 500, "server_error")
