"""SBX in a real browser, on two real nodes: send from the letter page, per-recipient status, the received
letter on the other node, and the ministry dashboard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.conftest import login, shot
from tests.exchange import twonodes as tn
from tests.exchange.helpers import signed_pdf

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.backend("sqlite")]
SENT = "ขอความอนุเคราะห์ข้อมูลปริมาณน้ำฝนรายเดือน ปีงบประมาณ 2569"
FAILED = "แจ้งกำหนดการประชุมเชิงปฏิบัติการ (ทดสอบส่งไม่สำเร็จ)"


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[tn.SbxNode, tn.SbxNode, dict[str, bytes]]]:
    from saraban.demo import federation
    from saraban.orgs import directory as org_directory

    tmp = tmp_path_factory.mktemp("e2e-sbx")
    fed = tmp / "federation"
    a, b = tn.start_pair(tmp, fed, federation.agencies_from_org(org_directory.DEMO_FILE))
    # signing runs an event loop: before the browser's (Playwright's sync API keeps one running)
    pdfs = {s: signed_pdf(str(fed / "pki"), s) for s in (SENT, FAILED)}
    try:
        yield a, b, pdfs
    finally:
        tn.stop_pair(a, b)


def test_send_from_the_letter_page_and_follow_each_recipient(pair, page) -> None:
    a, b, pdfs = pair
    subject = SENT
    letter = tn.issue(a, subject, pdfs[subject])
    login(page, a.web, "registrar")
    page.goto(f"{a.web.url}/letters/{letter['id']}/")
    form = page.locator("form.sbx-send")
    form.locator("input[value=tmd]").check()
    form.locator("input[value=nso]").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator(".sbx-row").count() == 2

    # B registers it; the other recipient (on this node) returns it with a coded reason
    [item] = tn.wait_for(lambda: tn.intake_items(b, subject), 60)
    with b.api("tmd-registrar") as c:
        registered = c.post(f"/intake/{item['id']}/register", json={}).json()
    display, b_letter = registered["registration"]["display"], registered["id"]
    [mine] = tn.wait_for(lambda: tn.intake_items(a, subject, "nso-registrar"), 60)
    with a.api("nso-registrar") as c:
        r = c.post(f"/exchange/intake/{mine['id']}/reject",
                   json={"reason_code": "NOT_ADDRESSEE", "reason": "เรื่องนี้อยู่ในหน้าที่ของกรมอุตุนิยมวิทยา"})
        assert r.status_code == 200, r.text
    tn.wait_for(lambda: {x["status"] for x in tn.dispatch_status(a, letter["id"])} == {"registered", "rejected"}, 60)

    page.reload()
    tmd = page.locator(".sbx-row[data-recipient=tmd]")
    nso = page.locator(".sbx-row[data-recipient=nso]")
    assert tmd.get_attribute("data-status") == "registered" and display in tmd.inner_text()
    assert "ลงทะเบียนรับแล้ว" in tmd.inner_text() and "ลงลายมือชื่อดิจิทัล" in tmd.inner_text()
    assert nso.get_attribute("data-status") == "rejected" and "ไม่ใช่หน่วยงานผู้รับ" in nso.inner_text()
    assert "กรมอุตุนิยมวิทยา" in nso.inner_text()
    page.locator("#sbx-panel").scroll_into_view_if_needed()
    shot(page, "sbx-letter-status")

    # the received letter on node B: sender's seal, the PAdES report
    received = page.context.browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    login(received, b.web, "tmd-registrar")
    received.goto(f"{b.web.url}/letters/{b_letter}/")
    received.wait_for_selector("#sbx-panel")
    text = received.locator("#sbx-panel").inner_text()
    assert "รับมาทางระบบ" in text and "ถูกต้อง" in text and "TEST นายสมชาย ใจดี" in text
    shot(received, "sbx-received-letter")


def test_failed_delivery_offers_the_fallback_and_dashboard(pair, page) -> None:
    a, b, pdfs = pair
    subject = FAILED
    b.stop_sbx()
    try:
        letter = tn.issue(a, subject, pdfs[subject])
        tn.dispatch(a, letter["id"], ["tmd"], ttl_seconds=2)
        tn.wait_status(a, letter["id"], "failed", 30)
    finally:
        b.start_sbx()
    login(page, a.web, "registrar")
    page.goto(f"{a.web.url}/letters/{letter['id']}/")
    row = page.locator(".sbx-row[data-recipient=tmd]")
    assert row.get_attribute("data-status") == "failed"
    assert "saraban@tmd.mdes.test" in row.inner_text() and "ส่งไม่ถึงปลายทางก่อนหมดเวลาที่กำหนด" in row.inner_text()
    shot(page, "sbx-failed-fallback")
    row.locator("select[name=channel]").select_option("email")
    row.locator("input[name=evidence]").fill("<20261125.1@mdes.go.th>")
    with page.expect_navigation():
        row.locator("form.sbx-fallback button").click()
    assert page.locator(".sbx-row[data-status=sent]").count() == 1

    admin = page.context.browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    login(admin, a.web, "admin")
    admin.goto(f"{a.web.url}/exchange/dashboard/")
    ops = admin.locator("tr[data-agency=mdes-ops]").inner_text()
    cells = admin.locator("tr[data-agency=mdes-ops] td").all_inner_texts()
    assert "เชื่อมแล้ว" in ops
    assert int(cells[2]) >= 2 and int(cells[3]) >= 1 and int(cells[8]) >= 1  # sent by SBX, by e-mail, failed
    assert admin.locator("tr[data-agency=tmd]").inner_text().count("เชื่อมแล้ว") == 1
    failed_items = admin.locator("li", has_text=letter["registration"]["display"]).inner_text()
    assert "กรมอุตุนิยมวิทยา" in failed_items and "ส่งไม่ถึงปลายทางก่อนหมดเวลาที่กำหนด" in failed_items
    shot(admin, "sbx-dashboard")
    admin.goto(f"{a.web.url}/exchange/directory/")
    assert "กรมอุตุนิยมวิทยา" in admin.content() and "th-org:1100500000" in admin.content()
    shot(admin, "sbx-directory")
