"""The route of a letter in a real browser: the saraban officer registers and distributes it to a
division, the director endorses and assigns it on a phone (390×844) in three taps, the officer
acknowledges and reports done; the timeline and the register's การปฏิบัติ show every step with Bangkok
times."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.e2e.conftest import login, shot
from tests.e2e.test_desk import submit

pytestmark = [pytest.mark.browser, pytest.mark.backend("sqlite")]

TIME = r"\d{1,2}\.\d{2} น\."


def test_route_from_registration_to_done(e2e_node, browser, page) -> None:
    token = e2e_node.token("registrar")
    submit(e2e_node, token, "ขอความร่วมมือสำรวจระบบสารบรรณ", "very_urgent", 41, their_ref="สพธอ 01/3301",
           sender="สพธอ.", addressee="ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", their_date="2026-01-05")

    # 1. the saraban officer registers it and sends it to the division (ศทส.)
    login(page, e2e_node, "registrar")
    page.locator("#queue li a", has_text="สำรวจระบบสารบรรณ").click()
    page.wait_for_selector("#register-form")
    page.click("#register-btn")
    page.wait_for_url(re.compile(r"/letters/"))
    letter_url = page.url
    page.select_option("#rt-target", ["unit:ops-ict"])
    page.fill("#rt-instruction", "เพื่อโปรดพิจารณาดำเนินการ")
    page.click("#rt-send")
    page.wait_for_selector("#rt-steps")
    assert "ศทส. (นางสาวอรวรรณ เทคโนโลยี)" in page.locator("#rt-steps").inner_text()
    assert "ยังไม่เปิด" in page.locator("#rt-steps").inner_text()

    # 2. the director, on a phone: inbox → letter (tap 1), "มอบ … ดำเนินการ" (tap 2), the officer (tap 3)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                has_touch=True, locale="th-TH")
    mp = phone.new_page()
    mp.set_default_timeout(20_000)
    login(mp, e2e_node, "ict-director")
    mp.goto(f"{e2e_node.url}/inbox/")
    first = mp.locator("#inbox li").first
    assert "สำรวจระบบสารบรรณ" in first.inner_text() and "ด่วนมาก" in first.inner_text()
    shot(mp, "routing-phone-inbox")
    taps = 0
    with mp.expect_navigation():
        first.locator("a").tap()
    taps += 1
    mp.wait_for_selector(".rt-read img")
    mp.wait_for_function("() => document.querySelector('.rt-read img').naturalWidth > 0")
    assert mp.locator(".rt-read").is_visible()  # the letter itself, readable on the phone
    shot(mp, "routing-phone-letter")
    mp.locator("#rt-assign summary").tap()
    taps += 1
    shot(mp, "routing-phone-assign")
    with mp.expect_navigation():
        mp.locator(".rt-chip", has_text="นายกิตติศักดิ์ ขยันงาน").tap()
    taps += 1
    assert taps <= 3
    assert "บันทึกเกษียนแล้ว" in mp.locator(".msgs").inner_text()
    mp.wait_for_selector("#rt-endorsements")
    assert "มอบ นายกิตติศักดิ์ ขยันงาน ดำเนินการ" in mp.locator("#rt-endorsements").inner_text()
    assert "(นางสาวอรวรรณ เทคโนโลยี)" in mp.locator("#rt-endorsements").inner_text()
    shot(mp, "routing-phone-endorsed")
    phone.close()

    # 3. the officer acknowledges and reports done (desktop)
    page.context.clear_cookies()
    login(page, e2e_node, "officer")
    page.goto(f"{e2e_node.url}/inbox/")
    item = page.locator("#inbox li").first
    assert "สำรวจระบบสารบรรณ" in item.inner_text() and "กำหนด" in item.inner_text()
    shot(page, "routing-inbox")
    item.locator("a").click()
    page.wait_for_selector(".rt-mystep")
    with page.expect_navigation():
        page.click(".rt-ack")
    assert "รับทราบแล้ว" in page.locator(".msgs").inner_text()
    page.click(".rt-done-open")
    page.fill(".rt-mystep textarea[name=note]", "สำรวจและส่งข้อมูลแล้ว")
    with page.expect_navigation():
        page.click(".rt-done")
    assert "รายงานผลแล้ว" in page.locator(".msgs").inner_text()
    assert page.locator(".rt-mystep").count() == 0

    # 4. the timeline and the register's การปฏิบัติ show every step with Bangkok times
    page.context.clear_cookies()
    login(page, e2e_node, "registrar")
    page.goto(letter_url)
    timeline = page.locator("#timeline").inner_text()
    wanted = ["ลงทะเบียนรับ", "ส่งหนังสือ", "เปิดอ่าน", "เกษียนหนังสือ", "รับทราบ", "รายงานผลการดำเนินการ"]
    pos = [timeline.index(w) for w in wanted]
    assert pos == sorted(pos), timeline
    assert len(re.findall(TIME, timeline)) >= len(wanted)
    assert "ศทส. (นางสาวอรวรรณ เทคโนโลยี)" in timeline and "สำรวจและส่งข้อมูลแล้ว" in timeline
    page.wait_for_function("() => document.querySelector('.preview img')?.naturalWidth > 0")
    shot(page, "routing-letter-page")

    r = httpx.get(f"{e2e_node.url}/api/v1/registers/received/2569", headers={"Authorization": f"Bearer {token}"})
    [row] = [e for e in r.json()["entries"] if e["subject"] == "ขอความร่วมมือสำรวจระบบสารบรรณ"]
    lines = row["action"].splitlines()
    assert re.fullmatch(rf"ส่ง ศทส\. \(นางสาวอรวรรณ เทคโนโลยี\) \d+ \S+ \d\d {TIME} รับโดย นางสาวอรวรรณ เทคโนโลยี "
                        rf"(\d+ \S+ \d\d )?{TIME} รับทราบ (\d+ \S+ \d\d )?{TIME}", lines[0]), lines[0]
    assert lines[1].startswith("มอบ นายกิตติศักดิ์ ขยันงาน")
    assert "รับโดย นายกิตติศักดิ์ ขยันงาน" in lines[1] and "ดำเนินการแล้ว" in lines[1]
    page.goto(f"{e2e_node.url}/registers/received/2569/")
    page.wait_for_selector("#register-table")
    assert "มอบ นายกิตติศักดิ์ ขยันงาน" in page.locator("#register-table").inner_text()
    shot(page, "routing-register")
