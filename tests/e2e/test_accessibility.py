"""Accessibility and the phone layout in a real browser: axe-core on the most used pages, desktop and phone.

axe-core comes from npm into tests/e2e/axe/node_modules (scripts/install.sh); it is injected by Playwright
into the page under test only and never served by Saraban.  A page passes when axe reports no violation of
impact "serious" or "critical".  On a 390×844 phone the header stays compact (measured) and every page of a
multi-page letter can be reached.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pikepdf
import pytest

from tests.e2e.conftest import login, shot
from tests.fixtures import make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.backend("sqlite")]

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE_HEADER_MAX = 64  # px: brand, search and the menu button on one line (it was ~450 px)


def pdf_of_pages(subject: str, n: int) -> bytes:
    """A letter of ``n`` pages (each a real Thai page), so a reader must reach page 2, 3 …"""
    out = pikepdf.new()
    for i in range(n):
        with pikepdf.open(io.BytesIO(make_pdf(f"{subject} หน้า {i + 1}", variant=50 + i))) as src:
            out.pages.extend(src.pages)
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def queue(node, token: str, subject: str, pdf: bytes, **meta: str) -> str:  # type: ignore[no-untyped-def]
    r = httpx.post(f"{node.url}/api/v1/intake", headers={"Authorization": f"Bearer {token}"},
                   files={"file": ("in.pdf", pdf, "application/pdf")},
                   data={"metadata": json.dumps({"subject": subject, **meta}, ensure_ascii=False)}, timeout=60)
    assert r.status_code == 201, r.text
    return r.json()["id"]


@pytest.fixture(scope="module")
def world(e2e_node) -> dict[str, str]:  # type: ignore[no-untyped-def]
    token = e2e_node.token("registrar")
    item = queue(e2e_node, token, "ขอเชิญประชุมคณะทำงานด้านเอกสารอิเล็กทรอนิกส์", make_pdf("ประชุม", variant=3),
                 urgency="urgent", sender="สพธอ.", their_ref="สพธอ 01/2215")
    letter_item = queue(e2e_node, token, "รายงานผลการสำรวจระบบสารบรรณ (สามหน้า)",
                        pdf_of_pages("รายงานผลการสำรวจ", 3), urgency="normal", sender="สำนักงานสถิติแห่งชาติ")
    r = httpx.post(f"{e2e_node.url}/api/v1/intake/{letter_item}/register",
                   headers={"Authorization": f"Bearer {token}"}, json={}, timeout=60)
    assert r.status_code == 201, r.text
    return {"item": item, "letter": r.json()["id"]}


def most_used(node, page, world: dict[str, str]) -> list[str]:  # type: ignore[no-untyped-def]
    """The 12 pages people use most: the desk and its form, a letter, my work, registers, search, drafts …"""
    page.goto(f"{node.url}/registers/")
    book = page.locator("main a[href^='/registers/']").first.get_attribute("href")
    return ["/", f"/intake/{world['item']}/", f"/letters/{world['letter']}/", "/inbox/", "/registers/", book,
            "/search/?q=ประชุม", "/drafts/", "/outgoing/", "/exchange/awaiting/", "/mail/", "/routing/settings/"]


def axe_problems(page) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [v for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("form", ["desktop", "phone"])
def test_the_most_used_pages_have_no_serious_accessibility_problem(e2e_node, browser, world, form) -> None:
    assert AXE.exists(), "axe-core is missing: run scripts/install.sh (npm install in tests/e2e/axe)"
    ctx = browser.new_context(**(PHONE if form == "phone" else DESKTOP), locale="th-TH", bypass_csp=True)
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(f"{e2e_node.url}/login/")
        problems = {"/login/": axe_problems(page)}
        login(page, e2e_node, "registrar")
        paths = most_used(e2e_node, page, world)
        assert len(set(paths)) == 12
        for path in paths:
            answer = page.goto(f"{e2e_node.url}{path}")
            assert answer is not None and answer.status == 200, path
            page.wait_for_load_state("networkidle")
            problems[path] = axe_problems(page)
            if form == "phone":  # nothing runs off the side: tables became cards, forms one column
                assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, path
            shot(page, f"a11y-{form}-{re.sub(r'[^a-z0-9]+', '-', path).strip('-')[:40] or 'desk'}")
        bad = {p: v for p, v in problems.items() if v}
        assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)
    finally:
        ctx.close()


def test_the_phone_header_is_compact_and_its_menu_opens_by_touch_and_keyboard(e2e_node, browser, world) -> None:
    ctx = browser.new_context(**PHONE, locale="th-TH")
    page = ctx.new_page()
    try:
        login(page, e2e_node, "registrar")
        for path in ["/", "/inbox/", f"/letters/{world['letter']}/", "/registers/", "/search/?q=ประชุม"]:
            page.goto(f"{e2e_node.url}{path}")
            height = page.evaluate("() => document.querySelector('header.top').getBoundingClientRect().height")
            assert height <= PHONE_HEADER_MAX, (path, height)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 390, (path, width)  # nothing overflows sideways (tables became cards)
        nav = page.locator("header.top nav")
        assert not nav.is_visible()
        shot(page, "phone-header-closed")
        page.locator(".menu-toggle").tap()
        assert nav.is_visible() and page.locator(".menu-toggle").get_attribute("aria-expanded") == "true"
        assert page.locator("header.top nav a", has_text="ทะเบียน").is_visible()
        shot(page, "phone-header-open")
        page.keyboard.press("Escape")
        assert not nav.is_visible()
        # keyboard only: the skip link comes first, then the menu opens with Enter
        page.goto(f"{e2e_node.url}/inbox/")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.className") == "skip"
        page.focus(".menu-toggle")
        page.keyboard.press("Enter")
        assert nav.is_visible()
    finally:
        ctx.close()


def test_every_page_of_a_multi_page_letter_can_be_read_on_a_phone(e2e_node, browser, world) -> None:
    ctx = browser.new_context(**PHONE, locale="th-TH")
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    try:
        login(page, e2e_node, "registrar")
        page.goto(f"{e2e_node.url}/letters/{world['letter']}/")
        imgs = page.locator(".rt-read img:visible, .preview img:visible")
        assert imgs.count() >= 3
        seen = set()
        for i in range(imgs.count()):
            img = imgs.nth(i)
            img.scroll_into_view_if_needed()
            page.wait_for_function("(el) => el.complete && el.naturalWidth > 0", arg=img.element_handle())
            box = img.bounding_box()
            assert box and box["width"] <= 390 and box["height"] > 200
            seen.add(re.search(r"/page/(\d+)\.png", img.get_attribute("src") or "").group(1))  # type: ignore[union-attr]
        assert seen == {"1", "2", "3"}
        shot(page, "phone-letter-pages")
    finally:
        ctx.close()
