"""Sign-in with an optional second factor (TOTP), set up and used in a real browser."""

from __future__ import annotations

import base64
import time

import pytest
from django_otp.oath import totp

from tests.e2e.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.backend("sqlite")]


def code(secret_b32: str, offset: int = 0) -> str:
    return f"{totp(base64.b32decode(secret_b32), step=30, t0=0, digits=6, drift=offset):06d}"


def away_from_a_step_boundary() -> None:
    """Wait out the last 5 s of a 30 s step: a code made just before a boundary and checked just after it is
    accepted one step behind, and django-otp then keeps that drift (OTP_TOTP_SYNC), so the device would no
    longer take the next step's code below (a CI run confirmed at 16:23:00.0 and failed that way)."""
    into = time.time() % 30
    if into > 25:
        time.sleep(30 - into + 0.3)


def test_totp_setup_and_sign_in(e2e_node, page) -> None:
    login(page, e2e_node, "director")
    page.goto(f"{e2e_node.url}/account/totp/")
    secret = page.locator("code").inner_text().strip()
    assert page.locator("svg").count() >= 1  # the QR code for the app
    shot(page, "totp-setup")
    page.fill("#otp", "000000" if code(secret) != "000000" else "111111")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "ไม่ถูกต้อง" in page.locator(".error-box").inner_text()
    time.sleep(1.2)  # django-otp throttles a device for a moment after a wrong code
    away_from_a_step_boundary()
    page.fill("#otp", code(secret))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url.startswith(f"{e2e_node.url}/") and "/login" not in page.url  # signed in: on their landing page

    page.context.clear_cookies()
    login(page, e2e_node, "director")
    assert page.locator("#otp").count() == 1  # password alone is not enough now
    page.fill("#password", "saraban-demo")
    page.fill("#otp", code(secret, -10))  # a stale code
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "OTP" in page.locator(".error-box").inner_text()
    time.sleep(2.2)  # the throttle doubles after each failure
    page.fill("#password", "saraban-demo")
    page.fill("#otp", code(secret, 1))  # the code already used to confirm cannot be replayed
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator("header.top").count() == 1
    assert "ประเสริฐ" in page.locator("header.top .who").inner_text()
