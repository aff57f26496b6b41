"""The security pages in a real browser: the administrators' health page, linking LINE with a one-time code,
and the Thai lock-out page after repeated wrong passwords (last: it locks this node's address)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.backend("sqlite")]


def test_health_page_for_administrators(e2e_node, page) -> None:
    login(page, e2e_node, "admin")
    page.click("header.top >> text=สถานะงานเบื้องหลัง")
    assert page.url.endswith("/ops/health/")
    assert page.locator("h1", has_text="สถานะงานเบื้องหลัง").count() == 1
    assert page.locator("text=ลองใหม่ทั้งหมดเดี๋ยวนี้").count() == 1
    shot(page, "security-health")


def test_line_is_linked_with_a_code_not_an_id(e2e_node, page) -> None:
    login(page, e2e_node, "director")
    page.goto(f"{e2e_node.url}/routing/settings/")
    assert page.locator("input[name=line_user_id]").count() == 0  # no id to type
    with page.expect_navigation():
        page.click("text=ขอรหัสเชื่อมต่อ LINE")
    message = page.locator("main").inner_text()
    assert re.search(r"SB-[A-Z2-9]{4}-[A-Z2-9]{4}", message)
    shot(page, "security-line-code")


def test_wrong_passwords_lock_out_with_a_thai_page(e2e_node, page) -> None:
    for _ in range(5):
        login(page, e2e_node, "registrar", password="not-the-password")
    assert "ถูกระงับชั่วคราว" in page.locator(".error-box").inner_text()
    login(page, e2e_node, "registrar")  # the right password, too late
    assert "ถูกระงับชั่วคราว" in page.locator(".error-box").inner_text()
    assert page.locator("header.top").count() == 0
    shot(page, "security-lockout")
