"""Drafting in a real browser: an officer drafts an external letter (paragraphs, a list, a table) with
the live preview, a reviewer returns it, the officer revises, the reviewer passes it, the permanent
secretary approves and signs with the key's PIN.  The letter comes out numbered, signed (``pdfsig``:
valid, whole document), in the sent register, and verifiable by anyone from its QR page."""

from __future__ import annotations

import re
import tempfile

import httpx
import pytest

from saraban.demo.signing import KEY_PASSWORD
from tests.e2e.conftest import login, pdf_png, pick_option, shot
from tests.letterpress.pdftools import pdfsig, pdftotext, squash

pytestmark = [pytest.mark.browser, pytest.mark.backend("sqlite")]

SUBJECT = "ขอเชิญประชุมคณะทำงานกำหนดมาตรฐานการจัดเก็บหนังสือราชการอิเล็กทรอนิกส์"
BODY = """ตามที่สำนักงานพัฒนาธุรกรรมทางอิเล็กทรอนิกส์ได้ขอความร่วมมือกำหนดมาตรฐานการจัดเก็บหนังสือราชการ นั้น

ศูนย์เทคโนโลยีสารสนเทศและการสื่อสารกำหนดประชุมคณะทำงาน โดยมีวาระ ดังนี้
1. แนวทางการจัดเก็บหนังสือราชการอิเล็กทรอนิกส์
2. การกำหนดสิทธิ์การเข้าถึงหนังสือลับ

| ลำดับ | รายการ | เวลา |
|---|---|---|
| 1 | เปิดประชุม | 09.30 น. |
| 2 | พิจารณาร่างมาตรฐาน | 10.00 น. |

จึงเรียนมาเพื่อโปรดพิจารณามอบหมายผู้แทนเข้าร่วมประชุม"""






def test_draft_review_approve_sign_verify(e2e_node, page) -> None:
    e2e_node.saraban("demo", "signing")
    login(page, e2e_node, "officer")
    page.goto(f"{e2e_node.url}/drafts/")
    page.select_option("#kind", "external")
    with page.expect_navigation():
        page.click("#new-draft button[type=submit]")
    page.wait_for_selector("#draft-form")
    page.fill("#f-subject", SUBJECT)
    page.fill("#f-to_title", "ผู้อำนวยการสำนักงานพัฒนาธุรกรรมทางอิเล็กทรอนิกส์")
    page.fill("#f-body", BODY)
    # the live preview follows the typing: the body's table is on the rendered page
    page.wait_for_function("() => document.querySelectorAll('#preview img').length > 0 && "
                           "!document.querySelector('#preview [data-code=subject_empty]') && "
                           "!document.querySelector('#preview [data-code=body_empty]')")
    page.wait_for_function("() => document.querySelector('#preview img').naturalWidth > 0")
    shot(page, "draft-editor")
    with page.expect_navigation():
        page.click("#save-btn")
    assert "บันทึกฉบับที่ 2" in page.locator(".msgs").inner_text()

    pick_option(page, "#people select[name=reviewer]", "อรวรรณ")
    pick_option(page, "#people select[name=signer]", "สมศักดิ์")
    with page.expect_navigation():
        page.click("#people-btn")
    with page.expect_navigation():
        page.click("#submit-btn")
    assert "ระหว่างตรวจ" in page.locator("#draft-status").inner_text()
    draft_url = page.url

    # the reviewer finds it in their box and returns it with a comment
    page.context.clear_cookies()
    login(page, e2e_node, "ict-director")
    page.goto(f"{e2e_node.url}/drafts/?box=review")
    shot(page, "drafts-list")
    page.locator("#draft-list a", has_text="ขอเชิญประชุม").click()
    page.wait_for_selector("#decide-form")
    page.fill("#comment", "โปรดระบุวันและสถานที่ประชุม")
    with page.expect_navigation():
        page.click("#return-btn")

    page.context.clear_cookies()
    login(page, e2e_node, "officer")
    page.goto(draft_url)
    assert "โปรดระบุวันและสถานที่ประชุม" in page.locator("#returned").inner_text()
    page.fill("#f-body", BODY.replace("กำหนดประชุมคณะทำงาน", "กำหนดประชุมคณะทำงานในวันที่ 15 ธันวาคม 2569 "
                                      "ณ ห้องประชุม 1 ชั้น 9"))
    with page.expect_navigation():
        page.click("#save-btn")
    page.locator("#versions a", has_text="เทียบกับฉบับก่อน").first.click()
    page.wait_for_selector("#diff .add")
    assert "15 ธันวาคม 2569" in page.locator("#diff .add").first.inner_text()
    shot(page, "draft-diff")
    with page.expect_navigation():
        page.click("#submit-btn")

    page.context.clear_cookies()
    login(page, e2e_node, "ict-director")
    page.goto(draft_url)
    with page.expect_navigation():
        page.click("#approve-btn")

    page.context.clear_cookies()
    login(page, e2e_node, "permsec")
    page.goto(f"{e2e_node.url}/drafts/?box=review")
    page.locator("#draft-list a", has_text="ขอเชิญประชุม").click()
    with page.expect_navigation():
        page.click("#approve-btn")
    page.wait_for_selector("#sign-form")
    assert "TEST" in page.locator("#sign").inner_text()
    assert "ทะเบียนหนังสือส่ง" in page.locator("#sign").inner_text()
    page.wait_for_function("() => document.querySelector('#preview img')?.naturalWidth > 0")
    shot(page, "draft-sign")
    # a wrong PIN: a clear message, nothing numbered
    page.fill("#sign-form input[type=password]", "wrong-pin")
    with page.expect_navigation():
        page.click("#sign-btn")
    assert "PIN" in page.locator(".msgs").inner_text()
    page.fill("#sign-form input[type=password]", KEY_PASSWORD)
    with page.expect_navigation():
        page.click("#sign-btn")
    page.wait_for_url(re.compile(r"/letters/"))
    assert "ดศ 0204/1" in page.locator(".bignum").first.inner_text()
    page.wait_for_selector("#signatures-panel .df-report.valid")
    page.wait_for_function("() => [...document.querySelectorAll('.preview img')].every(i => i.naturalWidth > 0)")
    shot(page, "signed-letter-page")
    letter_id = page.url.rstrip("/").rsplit("/", 1)[1]
    verify_href = page.locator("#verify-link").get_attribute("href")

    token = e2e_node.token("permsec")
    auth = {"Authorization": f"Bearer {token}"}
    letter = httpx.get(f"{e2e_node.url}/api/v1/letters/{letter_id}", headers=auth).json()
    signed = next(f for f in letter["files"] if f["role"] == "letter")
    pdf = httpx.get(f"{e2e_node.url}{signed['url']}", headers=auth).content
    out = pdfsig(pdf)
    assert "Signature is Valid" in out and "Total document signed" in out
    assert squash("ที่ ดศ 0204/1") in squash(pdftotext(pdf))
    pdf_png(pdf, "signed-letter")
    year = letter["registrations"][0]["year"]
    reg = httpx.get(f"{e2e_node.url}/api/v1/registers/sent/{year}", params={"unit": "ops-ict"}, headers=auth).json()
    assert [(e["display"], e["subject"]) for e in reg["entries"]] == [("ดศ 0204/1", SUBJECT)]

    # anyone holding the printout opens the QR's page, without signing in
    page.context.clear_cookies()
    page.goto(f"{e2e_node.url}{verify_href}")
    assert "ลายมือชื่ออิเล็กทรอนิกส์ถูกต้อง" in page.locator("#verdict").inner_text()
    assert "ดศ 0204/1" in page.locator("#vf-number").inner_text()
    assert SUBJECT not in page.content()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        page.set_input_files("#upload input[type=file]", f.name)
        with page.expect_navigation():
            page.click("#check-btn")
    assert "ตรงกับฉบับที่ลงนามในระบบ" in page.locator("#match").inner_text()
    shot(page, "verify-page")
