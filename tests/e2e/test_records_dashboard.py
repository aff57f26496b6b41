"""The executive dashboard and the loan register in a real browser: charts drawn as SVG on the server, tables,
exports; a classified letter's subject shown to its secret registrar, never to the executive without need-to-know."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.e2e.conftest import login, shot
from tests.fixtures import make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.backend("sqlite")]
SECRET_SUBJECT = "แผนรักษาความปลอดภัยศูนย์ข้อมูล"


def api(node, token: str, method: str, path: str, **kw):  # type: ignore[no-untyped-def]
    r = httpx.request(method, f"{node.url}/api/v1{path}", headers={"Authorization": f"Bearer {token}"}, timeout=60,
                      **kw)
    assert r.status_code in (200, 201), r.text
    return r.json()


def register(node, token: str, subject: str, variant: int, **meta) -> str:  # type: ignore[no-untyped-def]
    data = {"subject": subject, "their_ref": f"ทดสอบ {variant}/2569", "sender": "สพธอ.", "kind": "external",
            "addressee": "ปลัดกระทรวง", "their_date": "2026-01-05", **meta}
    files = {"file": ("in.pdf", make_pdf(subject, variant=variant), "application/pdf")}
    return api(node, token, "POST", "/letters/incoming", files=files,
               data={"metadata": json.dumps(data, ensure_ascii=False)})["id"]


def test_dashboard_and_loan_register(e2e_node, page) -> None:
    reg, sec = e2e_node.token("registrar"), e2e_node.token("secretary")
    letters = [register(e2e_node, reg, s, i) for i, s in enumerate(
        ["ขอเชิญประชุมคณะทำงาน", "ขอความอนุเคราะห์ข้อมูลสถิติ", "แจ้งกำหนดการตรวจราชการ"], start=1)]
    secret = register(e2e_node, sec, SECRET_SUBJECT, 9, secrecy="confidential")
    api(e2e_node, reg, "POST", "/records/loans", json={
        "letter_id": letters[0], "medium": "paper", "scope": "outsider", "due": "2099-12-31", "purpose": "ศึกษาวิจัย",
        "borrower_name": "นางสาวทดลอง สมมติ", "borrower_agency": "มหาวิทยาลัยตัวอย่าง", "approver": "director"})
    api(e2e_node, sec, "POST", "/records/loans", json={
        "letter_id": secret, "medium": "electronic", "scope": "internal", "due": "2099-12-31",
        "purpose": "ประกอบการประชุม", "borrower": "ict-director"})
    login(page, e2e_node, "director")
    page.goto(f"{e2e_node.url}/records/dashboard/")
    page.wait_for_selector("svg.chart")
    assert page.locator("svg.chart").count() == 3
    body = page.inner_text("body")
    assert "ขอเชิญประชุมคณะทำงาน" in body and SECRET_SUBJECT not in body and "ไม่แสดงเรื่อง" in body
    shot(page, "records-dashboard")
    page.goto(f"{e2e_node.url}/records/loans/")
    assert "มหาวิทยาลัยตัวอย่าง" in page.inner_text("body")
    shot(page, "records-loans")
    pdf = page.request.get(f"{e2e_node.url}/records/dashboard/export.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    page.context.clear_cookies()
    login(page, e2e_node, "secretary")
    page.goto(f"{e2e_node.url}/records/dashboard/")
    assert SECRET_SUBJECT in page.inner_text("body")  # the secret registrar has need-to-know
