"""No page and no API doc loads anything from another origin, under the strict Content-Security-Policy,
and the pages still work: checked in Debian chromium.  Every request of every page is recorded."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import httpx
import pytest

from tests.e2e.conftest import login, shot
from tests.fixtures import make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.backend("sqlite")]


class Recorder:
    def __init__(self, page, origin: str) -> None:  # type: ignore[no-untyped-def]
        self.origin = origin
        self.requests: list[str] = []
        self.violations: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.violations.append(f"pageerror: {e}"))

    def _console(self, msg) -> None:  # type: ignore[no-untyped-def]
        text = msg.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.violations.append(text)

    def foreign(self) -> list[str]:
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if f"{parts.scheme}://{parts.netloc}" != self.origin:
                out.append(url)
        return out


def _letter(node, token: str) -> str:
    meta = {"their_ref": "นร 0105/ว 1", "their_date": "2026-01-05", "sender": "สำนักงานทดสอบ",
            "addressee": "ปลัดกระทรวง", "subject": "ทดสอบหน้าจอภายใต้นโยบายความปลอดภัย", "kind": "external"}
    r = httpx.post(f"{node.url}/api/v1/letters/incoming", headers={"Authorization": f"Bearer {token}"},
                   files={"file": ("in.pdf", make_pdf("หน้าจอ"), "application/pdf")},
                   data={"metadata": json.dumps(meta, ensure_ascii=False)}, timeout=60)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_every_page_loads_only_from_our_origin(e2e_node, page) -> None:
    rec = Recorder(page, e2e_node.url)
    letter_id = _letter(e2e_node, e2e_node.token("registrar"))
    page.goto(f"{e2e_node.url}/login/")
    login(page, e2e_node, "registrar")
    for path in ("/", "/outgoing/", "/registers/", "/registers/received/2569/", f"/letters/{letter_id}/",
                 "/inbox/", "/exchange/dashboard/", "/exchange/directory/", "/drafts/", "/verify/",
                 "/account/totp/", "/no/such/page/"):
        page.goto(e2e_node.url + path)
        page.wait_for_load_state("networkidle")
    page.goto(f"{e2e_node.url}/letters/{letter_id}/")
    page.wait_for_function("() => [...document.images].some(i => i.src.includes('/page/1.png') && i.naturalWidth > 0)")
    shot(page, "csp-letter")
    page.goto(f"{e2e_node.url}/no/such/page/")
    assert page.locator("#error-page").get_attribute("data-code") == "not_found"
    shot(page, "csp-404")

    # the API docs: Swagger UI from our files draws every operation
    page.goto(f"{e2e_node.url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    assert page.locator(".opblock").count() > 20
    shot(page, "csp-api-docs")

    assert rec.foreign() == [], rec.foreign()
    assert rec.violations == [], rec.violations
    assert len(rec.requests) > 30


def test_the_draft_editor_works_under_the_policy(e2e_node, page) -> None:
    rec = Recorder(page, e2e_node.url)
    login(page, e2e_node, "officer")
    page.goto(f"{e2e_node.url}/drafts/")
    page.select_option("#kind", "memo")
    with page.expect_navigation():
        page.click("#new-draft button[type=submit]")
    page.wait_for_selector("#draft-form")
    page.fill("#f-subject", "ทดสอบแถบเครื่องมือ")
    page.fill("#f-body", "เรียน")
    page.click(".df-toolbar [data-insert]")  # the toolbar's script now comes from a static file
    assert "ย่อหน้าใหม่" in page.input_value("#f-body")
    page.wait_for_function("() => document.querySelectorAll('#preview img').length > 0 && "
                           "document.querySelector('#preview img').naturalWidth > 0")  # htmx live preview
    shot(page, "csp-draft-editor")
    assert rec.foreign() == [] and rec.violations == [], (rec.foreign(), rec.violations)
