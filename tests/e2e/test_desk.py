"""The registrar's desk in a real browser: queue, register with preview, register book, print, export."""

from __future__ import annotations

import json
import re
import time

import httpx
import pytest

from tests.e2e.conftest import login, shot
from tests.fixtures import make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.backend("sqlite")]


def submit(node, token: str, subject: str, urgency: str, variant: int, **meta) -> None:
    data = {"subject": subject, "urgency": urgency, **meta}
    r = httpx.post(f"{node.url}/api/v1/intake", headers={"Authorization": f"Bearer {token}"},
                   files={"file": ("in.pdf", make_pdf(subject, variant=variant), "application/pdf")},
                   data={"metadata": json.dumps(data, ensure_ascii=False)}, timeout=60)
    assert r.status_code == 201, r.text


def test_registrar_registers_from_the_queue(e2e_node, page) -> None:
    token = e2e_node.token("registrar")
    submit(e2e_node, token, "ขอเชิญประชุมคณะทำงาน", "normal", 1, their_ref="สพธอ 01/2215", sender="สพธอ.")
    submit(e2e_node, token, "แจ้งเตือนพายุฤดูร้อน", "most_urgent", 2, their_ref="ดศ 0501/1457",
           sender="กรมอุตุนิยมวิทยา", addressee="ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", their_date="2026-01-05")
    login(page, e2e_node, "registrar")
    page.wait_for_selector("#queue")
    items = page.locator("#queue li .subj").all_inner_texts()
    assert "พายุ" in items[0] and "ด่วนที่สุด" in items[0]  # most urgent first
    assert "ประชุม" in items[1]
    shot(page, "desk-queue")

    page.locator("#queue li a").first.click()
    page.wait_for_selector("#register-form")
    page.wait_for_selector(".preview img")
    assert page.locator("#their_ref").input_value() == "ดศ 0501/1457"
    assert page.locator("#their_date").input_value() == "5/1/2569"  # B.E., as Thai staff type dates
    page.wait_for_function("() => document.querySelector('.preview img').naturalWidth > 0")
    shot(page, "desk-register-form")

    # a future date is refused with a Thai message and nothing is registered
    page.fill("#their_date", "1/1/2642")
    page.click("#register-btn")
    page.wait_for_selector(".error-box")
    assert "อนาคต" in page.locator(".error-box").inner_text()

    page.fill("#their_date", "๕ ม.ค. ๒๕๖๙")
    page.click("#register-btn")
    page.wait_for_url(re.compile(r"/letters/"))
    assert "ลงทะเบียนรับเลขที่ 1" in page.locator(".msgs").inner_text()
    assert "เลขรับ 1" in page.locator(".bignum").first.inner_text()
    # the worker draws the receipt stamp; the page then shows the stamped copy
    for _ in range(60):
        page.reload()
        if "ตรารับ" in page.locator(".preview h2").first.inner_text():
            break
        time.sleep(0.5)
    assert "ประทับตรารับ" in page.locator(".preview h2").first.inner_text()
    page.wait_for_function("() => document.querySelector('.preview img')?.naturalWidth > 0")
    shot(page, "letter-page")

    page.goto(f"{e2e_node.url}/registers/")
    page.click("text=ทะเบียนหนังสือรับ")
    page.wait_for_selector("#register-table")
    row = page.locator("#register-table tbody tr").first.inner_text()
    assert "ดศ 0501/1457" in row and "แจ้งเตือนพายุฤดูร้อน" in row and "ด่วนที่สุด" in row
    shot(page, "register-book")

    with page.expect_download() as dl:
        page.click("text=XLSX")
    assert dl.value.suggested_filename.endswith(".xlsx")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    pdf = httpx.get(page.url.replace("/?", "/export.pdf?"), cookies=cookies)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def open_queued(node, page, subject: str, urgency: str, variant: int, **meta) -> str:
    """Put a letter in the registrar's queue through the API, log in and open it on the desk; the token."""
    token = node.token("registrar")
    submit(node, token, subject, urgency, variant, **meta)
    login(page, node, "registrar")
    page.locator("#queue li a", has_text=subject).click()
    page.wait_for_selector("#register-form")
    return token


def test_double_click_registers_once(e2e_node, page) -> None:
    token = open_queued(e2e_node, page, "หนังสือทดสอบกดซ้ำ", "urgent", 3, their_ref="นร 0105/9", sender="สลค.",
                        addressee="ปลัด ดศ.", their_date="2026-01-06")
    # two submissions of the same form, as a double click or a resent request would make
    page.evaluate("""() => { const f = document.querySelector('#register-form');
        const body = new FormData(f);
        return Promise.all([fetch(f.action, {method: 'POST', body}), fetch(f.action, {method: 'POST', body})])
          .then(rs => rs.map(r => r.status)); }""")
    r = httpx.get(f"{e2e_node.url}/api/v1/registers/received/2569", headers={"Authorization": f"Bearer {token}"})
    matching = [e for e in r.json()["entries"] if e["subject"] == "หนังสือทดสอบกดซ้ำ"]
    assert len(matching) == 1


def test_return_from_the_desk_with_a_coded_reason(e2e_node, page) -> None:
    token = open_queued(e2e_node, page, "หนังสือส่งผิดหน่วยงาน", "normal", 4, their_ref="กษ 0201/77",
                        sender="กรมชลประทาน", addressee="อธิบดีกรมอุตุนิยมวิทยา", their_date="2026-01-06")
    page.click("text=ส่งคืน / ไม่ลงทะเบียน")
    page.select_option("#reason_code", "NOT_ADDRESSEE")
    page.fill("#reason", "เป็นเรื่องของกรมอุตุนิยมวิทยา")
    page.locator("#reason").scroll_into_view_if_needed()
    shot(page, "desk-return-form")
    with page.expect_navigation():
        page.click("button.danger")
    assert "ส่งคืนแล้ว" in page.locator(".msgs").inner_text()
    assert page.locator("#queue li a", has_text="ส่งผิดหน่วยงาน").count() == 0
    r = httpx.get(f"{e2e_node.url}/api/v1/intake", headers={"Authorization": f"Bearer {token}"})
    assert all(i["subject"] != "หนังสือส่งผิดหน่วยงาน" for i in r.json())


def test_english_switch_and_wrong_password(e2e_node, page) -> None:
    page.goto(f"{e2e_node.url}/login/?lang=en")
    assert page.locator("h1").inner_text() == "Saraban e-correspondence"
    page.fill("#username", "registrar")
    page.fill("#password", "wrong-password")
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "Wrong username or password" in page.locator(".error-box").inner_text()
    page.goto(f"{e2e_node.url}/login/?lang=th")
    assert page.locator("h1").inner_text() == "ระบบสารบรรณอิเล็กทรอนิกส์"
    # the Sarabun web font comes from our own static files
    assert page.evaluate("document.fonts.check('16px Sarabun')")
    shot(page, "login")


def test_secret_register_only_for_the_cleared(e2e_node, page) -> None:
    token = e2e_node.token("secretary")
    r = httpx.post(f"{e2e_node.url}/api/v1/letters/incoming", headers={"Authorization": f"Bearer {token}"},
                   files={"file": ("s.pdf", make_pdf("ลับ", variant=9), "application/pdf")},
                   data={"metadata": json.dumps({"their_ref": "กห 0201/ล 5", "their_date": "2026-01-05",
                                                 "sender": "กระทรวงกลาโหม", "addressee": "ปลัดกระทรวง",
                                                 "subject": "แผนรักษาความปลอดภัยระบบ", "secrecy": "secret"},
                                                ensure_ascii=False)}, timeout=60)
    assert r.status_code == 201
    letter_id = r.json()["id"]
    login(page, e2e_node, "secretary")
    page.goto(f"{e2e_node.url}/registers/secret_received/2569/?unit=ops-central")
    assert "แผนรักษาความปลอดภัยระบบ" in page.locator("#register-table").inner_text()
    page.context.clear_cookies()
    login(page, e2e_node, "registrar")
    resp = page.goto(f"{e2e_node.url}/registers/secret_received/2569/?unit=ops-central")
    assert resp.status == 404
    assert page.goto(f"{e2e_node.url}/letters/{letter_id}/").status == 404


def test_outgoing_number_from_the_ui(e2e_node, page) -> None:
    login(page, e2e_node, "registrar")
    page.goto(f"{e2e_node.url}/outgoing/")
    page.select_option("#unit", "ops-central")
    page.select_option("#book", "circular")
    page.fill("#addressee", "ส่วนราชการในสังกัด")
    page.fill("#subject", "ซักซ้อมแนวปฏิบัติการรับส่งหนังสือทางระบบสารบรรณอิเล็กทรอนิกส์")
    shot(page, "outgoing-form")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/letters/"))
    assert "ดศ 0201/ว 1" in page.locator(".bignum").first.inner_text()


def test_top_secret_placeholder_from_the_desk(e2e_node, page) -> None:
    login(page, e2e_node, "secretary")
    page.click("text=บันทึกหนังสือลับที่สุด")
    page.fill("#their_ref", "กห 0201/ลส 9")
    page.fill("#letter_date", "2/1/2569")
    page.fill("#sender", "กระทรวงกลาโหม")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    table = page.locator("#register-table").inner_text()
    assert "ดำเนินการนอกระบบ" in table and "กห 0201/ลส 9" in table
    login(page, e2e_node, "registrar")
    assert page.locator("text=บันทึกหนังสือลับที่สุด").count() == 0
