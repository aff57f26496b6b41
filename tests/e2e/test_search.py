"""The search box on every page and the results page, in a real browser, on a desktop and on a phone."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.e2e.conftest import login, shot
from tests.fixtures import make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.backend("sqlite")]

LETTERS = [
    ("ขอเชิญประชุมคณะทำงานจัดทำงบประมาณรายจ่ายประจำปี", "กค 0406/ว 155", "กรมบัญชีกลาง", "urgent"),
    ("ขอความอนุเคราะห์ข้อมูลงบประมาณด้านดิจิทัล", "สงป 0101/88", "สำนักงบประมาณ", "normal"),
    ("แจ้งกำหนดการตรวจราชการ จังหวัดเชียงใหม่", "มท 0201/3321", "กรมการปกครอง", "most_urgent"),
]


def register(node, token: str) -> None:
    for i, (subject, ref, sender, urgency) in enumerate(LETTERS):
        meta = {"subject": subject, "their_ref": ref, "sender": sender, "urgency": urgency, "kind": "external",
                "their_date": "2026-01-05", "addressee": "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"}
        r = httpx.post(f"{node.url}/api/v1/letters/incoming", headers={"Authorization": f"Bearer {token}"},
                       files={"file": ("l.pdf", make_pdf(subject, variant=i + 1), "application/pdf")},
                       data={"metadata": json.dumps(meta, ensure_ascii=False)}, timeout=60)
        assert r.status_code == 201, r.text


def test_search_box_and_results(e2e_node, page, browser) -> None:
    register(e2e_node, e2e_node.token("registrar"))
    login(page, e2e_node, "registrar")
    box = page.locator("header.top [data-search-box] input[name=q]")
    box.fill("งบประมาณ")
    page.wait_for_selector(".sbox-drop .sbox-list li a")
    found = page.locator(".sbox-drop .sbox-subj").all_inner_texts()
    assert len(found) == 2 and all("งบประมาณ" in s for s in found)
    assert page.locator(".sbox-drop mark").count() >= 2
    shot(page, "search-instant-desktop")
    page.keyboard.press("Escape")
    assert page.locator(".sbox-drop li").count() == 0
    box.fill("งบประมาณ")
    page.wait_for_selector(".sbox-drop .sbox-list li a")
    with page.expect_navigation():
        box.press("Enter")
    assert page.locator("ol.results li").count() == 2
    page.locator("details.advanced summary").click()
    page.select_option("select[name=urgency]", "urgent")
    with page.expect_navigation():
        page.locator(".search-q button").click()
    assert page.locator("ol.results li .r-subj").all_inner_texts() == [LETTERS[0][0]]
    shot(page, "search-results-desktop")
    page.fill(".save-form input[name=name]", "งบประมาณด่วน")
    with page.expect_navigation():
        page.locator(".save-form button").click()
    assert "งบประมาณด่วน" in page.locator(".saved").inner_text()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="th-TH", is_mobile=True,
                                has_touch=True, device_scale_factor=2)
    p2 = phone.new_page()
    p2.set_default_timeout(20_000)
    login(p2, e2e_node, "registrar")
    p2.locator("header.top [data-search-box] input[name=q]").fill("0201/3321")
    p2.wait_for_selector(".sbox-drop .sbox-list li a")
    assert "ตรวจราชการ" in p2.locator(".sbox-drop").inner_text()
    shot(p2, "search-instant-phone")
    p2.goto(f"{e2e_node.url}/search/?q=ประชุม&urgency=urgent")
    assert p2.locator("ol.results li").count() == 1
    width = p2.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, width  # nothing wider than the phone
    shot(p2, "search-results-phone")
    phone.close()
