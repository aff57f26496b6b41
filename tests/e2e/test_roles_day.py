"""Every role's day in a real browser (issue #17): each person lands on the page of what waits for them and
sees its counts in the top bar; the registrar registers an e-letter in 2 clicks and the stamp appears without a
reload, registers the rest of the queue at once with a summary; the director endorses and assigns in 3 clicks
and the item leaves "for my decision"; the officer, the permanent secretary and the administrator land on their
pages; the trust panel says integrity, identity and chain apart.  Screenshots go to tests/e2e/_screens."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from tests.e2e.conftest import login, shot
from tests.e2e.test_desk import submit

pytestmark = [pytest.mark.browser, pytest.mark.backend("sqlite")]


def nav_count(page, key: str) -> int:  # type: ignore[no-untyped-def]
    badge = page.locator(f'header.top a[data-nav="{key}"] .nav-count')
    return int(badge.inner_text()) if badge.count() else 0


def counts(page, selector: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [" ".join(t.split()) for t in page.locator(f"{selector} li").all_inner_texts()]


def test_every_role_lands_on_its_page_and_works_its_day(e2e_node, page) -> None:
    walk_the_day(e2e_node, page, "")


def walk_the_day(e2e_node, page, tag: str) -> None:  # type: ignore[no-untyped-def]
    """The whole day; ``tag`` names the screenshots (``-phone`` for the 390×844 walk)."""
    token = e2e_node.token("registrar")
    submit(e2e_node, token, "ขอความร่วมมือสำรวจการใช้งานระบบ", "very_urgent", 61, their_ref="สพธอ 01/4401",
           sender="สพธอ.", addressee="ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", their_date="2026-01-05")
    submit(e2e_node, token, "ขอเชิญร่วมงานสัมมนาวิชาการ", "normal", 62, their_ref="ดศ 0501/7", sender="กรมอุตุนิยมวิทยา",
           addressee="ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", their_date="2026-01-06")
    submit(e2e_node, token, "ขอข้อมูลสถิติรายไตรมาส", "urgent", 63, their_ref="สสช 02/9", sender="สสช.",
           addressee="ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", their_date="2026-01-07")

    # the registrar lands on the desk: the queue, today's counts and a waiting badge
    login(page, e2e_node, "registrar")
    assert page.url.endswith("/desk/")
    assert nav_count(page, "desk") == 3
    assert counts(page, "#desk-counts")[:2] == ["3 รอลงทะเบียน", "2 ในนั้นเป็นหนังสือด่วน"]
    shot(page, "landing-registrar" + tag)

    # registering an e-letter: 2 clicks; the receipt stamp then appears by itself (no reload)
    clicks = 0
    page.locator("#queue li a", has_text="สำรวจการใช้งานระบบ").click()
    clicks += 1
    page.wait_for_selector("#register-form")
    page.click("#register-btn")
    clicks += 1
    page.wait_for_url(re.compile(r"/letters/"))
    assert clicks == 2
    page.evaluate("() => { window.__notReloaded = true; }")
    page.wait_for_function("() => window.__notReloaded && "
                           "document.querySelector('.preview h2')?.innerText.includes('ตรารับ')", timeout=90_000)
    assert page.locator("#letter-preview[hx-trigger]").count() == 0  # done: it stopped polling
    page.locator(".preview img").first.scroll_into_view_if_needed()  # lazy: below the fold on a phone
    page.wait_for_function("() => document.querySelector('.preview img')?.naturalWidth > 0")
    assert "ops-" not in page.locator("#timeline").inner_text()  # units by name, never by code
    shot(page, "letter-stamp-arrived" + tag)
    page.select_option("#rt-target", ["unit:ops-ict"])
    page.click("#rt-send")
    page.wait_for_selector("#rt-steps")

    # the rest of the queue at once, with a summary
    page.goto(f"{e2e_node.url}/desk/")
    for box in page.locator("#queue input.bulk-pick").all():
        box.check()
    with page.expect_navigation():
        page.click("#bulk-register")
    summary = page.locator("#bulk-summary").inner_text()
    assert "สำเร็จ 2" in summary and "ไม่สำเร็จ 0" in summary and "ลงทะเบียนรับเลขที่" in summary
    assert page.locator("#queue input.bulk-pick").count() == 0 and nav_count(page, "desk") == 0
    shot(page, "desk-bulk-summary" + tag)

    # the director lands on "for my decision", endorses and assigns in 3 clicks; the item leaves the list
    page.context.clear_cookies()
    login(page, e2e_node, "ict-director")
    assert page.url.endswith("/decide/")
    assert nav_count(page, "decide") == 1 and "1 หนังสือด่วน" in counts(page, "#decide-counts")
    shot(page, "landing-director" + tag)
    clicks = 0
    with page.expect_navigation():
        page.locator("#decide li a", has_text="สำรวจการใช้งานระบบ").click()
    clicks += 1
    page.locator("#rt-assign summary").click()
    clicks += 1
    with page.expect_navigation():
        page.locator(".rt-chip", has_text="นายกิตติศักดิ์ ขยันงาน").click()
    clicks += 1
    assert clicks == 3 and "บันทึกเกษียนแล้ว" in page.locator(".msgs").inner_text()
    page.goto(f"{e2e_node.url}/")
    assert page.url.endswith("/decide/") and nav_count(page, "decide") == 0
    assert page.locator("#decide li a", has_text="สำรวจการใช้งานระบบ").count() == 0
    assert page.locator("#decide-followup li", has_text="สำรวจการใช้งานระบบ").count() == 1

    # the officer lands on "my work" with the assignment, and it leaves once reported done
    page.context.clear_cookies()
    login(page, e2e_node, "officer")
    assert page.url.endswith("/inbox/") and nav_count(page, "inbox") == 1
    assert "1 งานรอดำเนินการ" in counts(page, "#inbox-counts")
    shot(page, "landing-officer" + tag)
    page.locator("#inbox li a", has_text="สำรวจการใช้งานระบบ").click()
    page.wait_for_selector(".rt-mystep")
    page.click(".rt-done-open")
    page.fill(".rt-mystep textarea[name=note]", "ส่งข้อมูลแล้ว")
    with page.expect_navigation():
        page.click(".rt-done")
    page.goto(f"{e2e_node.url}/inbox/")
    assert nav_count(page, "inbox") == 0 and page.locator("#inbox li a").count() == 0

    # the permanent secretary and the administrator land on theirs
    page.context.clear_cookies()
    login(page, e2e_node, "permsec")
    assert page.url.endswith("/decide/")
    shot(page, "landing-permsec" + tag)
    page.context.clear_cookies()
    login(page, e2e_node, "admin")
    assert page.url.endswith("/manage/")
    assert page.locator("#manage-checks").inner_text().count("ปกติ") >= 4
    shot(page, "landing-admin" + tag)


def test_the_trust_panel_says_integrity_identity_and_chain_apart(e2e_node, page) -> None:
    with tempfile.TemporaryDirectory() as out:
        e2e_node.saraban("samples", "letters", "--out", out)  # signed by a TEST PKI this node does not trust
        pdf = (Path(out) / "external.pdf").read_bytes()
        tampered = bytearray(pdf)
        tampered[tampered.index(b"WeasyPrint")] = ord("X")
        for name, data in (("signed", pdf), ("tampered", bytes(tampered))):
            path = Path(out) / f"{name}-upload.pdf"
            path.write_bytes(data)
            page.goto(f"{e2e_node.url}/verify/")
            page.set_input_files("input[type=file]", str(path))
            with page.expect_navigation():
                page.click("#check-btn")
            report = page.locator("[data-trust=report]").first
            integrity = report.locator("[data-trust=integrity]").first.inner_text()
            chain = report.locator("[data-trust=chain]").first.inner_text()
            identity = report.locator("[data-trust=identity]").first.inner_text()
            assert "ไม่เชื่อถือ" in chain and "ยืนยันตัวตนไม่ได้" in identity  # an unknown root, both times
            if name == "signed":
                assert "✔ เอกสารไม่ถูกแก้ไขหลังลงนาม" in integrity
                assert "ใบรับรองไม่เชื่อถือ" in report.locator("[data-trust=overall]").inner_text()
            else:
                assert "✘ เอกสารถูกแก้ไขหลังลงนาม" in integrity
            shot(page, f"trust-panel-{name}")
