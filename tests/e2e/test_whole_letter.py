"""The whole letter in a real browser, on the demo as `saraban demo` sets it up: the demo's own path (draft as
officer with enclosures → review as ict-director → sign as permsec → send, by the logins the banner names),
the signed-not-sent state, the desk's enclosure editor, the thread view with a reply, the receipt slip and the
Thai error pages.  Screenshots go to tests/e2e/_screens/."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from saraban.demo.signing import KEY_PASSWORD
from tests import procs
from tests.e2e.conftest import login, pdf_png, pick_option, shot
from tests.fixtures import make_pdf
from tests.letterpress.pdftools import pdftotext
from tests.live.conftest import Node, free_port, node_env, stop_node, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.backend("sqlite")]
SUBJECT = "ขอความอนุเคราะห์ข้อมูลปริมาณน้ำฝนรายเดือน เพื่อประกอบการวางแผนรับมือภัยแล้ง"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Node, str]]:
    """``saraban demo --setup-only`` (the demo ministry, keys, SBX between its agencies), then served."""
    home = tmp_path_factory.mktemp("demo-whole")
    env = node_env(home)
    out = subprocess.run([sys.executable, "-m", "saraban.cli", "demo", "--setup-only"], env=env, capture_output=True,
                         text=True, timeout=900)
    assert out.returncode == 0, out.stderr + out.stdout
    port = free_port()
    log = open(home / "server.log", "wb")  # noqa: SIM115 - closed with the process
    proc = procs.spawn([sys.executable, "-m", "saraban.cli", "serve", "--port", str(port), "--workers", "2",
                        "--no-migrate"], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    node = Node(url=url, home=home, env=env, proc=proc)
    try:
        wait_ready(url, proc, home / "server.log")  # its /readyz: the port opens once the server is warm
        yield node, out.stdout
    finally:
        stop_node(node)


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("word/document.xml", (2026, 1, 1, 0, 0, 0)), "<w:document/>")
    return out.getvalue()


def _files(tmp: Path, *items: tuple[str, bytes]) -> list[str]:
    paths = []
    for name, data in items:
        p = tmp / name
        p.write_bytes(data)
        paths.append(str(p))
    return paths






def test_demo_path_draft_review_sign_send(demo, page, tmp_path) -> None:
    node, banner = demo
    # the banner names the path and says who sends
    for who in ("officer", "ict-director", "permsec"):
        assert who in banner
    assert "ลงนามแล้ว รอส่ง" in banner and "officer (its drafter) or permsec (its signer)" in banner

    login(page, node, "officer")
    page.goto(f"{node.url}/drafts/")
    page.select_option("#kind", "external")
    with page.expect_navigation():
        page.click("#new-draft button[type=submit]")
    page.fill("#f-subject", SUBJECT)
    page.fill("#f-to_title", "อธิบดีกรมอุตุนิยมวิทยา")
    page.fill("#f-copies_to", "ผู้อำนวยการสำนักงานสถิติแห่งชาติ")
    page.fill("#f-body", "ด้วยสำนักงานปลัดกระทรวงมีความประสงค์ขอรับข้อมูลปริมาณน้ำฝนรายเดือน\n"
                         "จึงเรียนมาเพื่อโปรดพิจารณาให้ความอนุเคราะห์")
    with page.expect_navigation():
        page.click("#save-btn")
    # the enclosure editor: two files, retitled and reordered; the letter's lines follow them
    page.set_input_files("#enclosure-files", _files(tmp_path, ("แบบสำรวจข้อมูล.docx", _docx()),
                                                    ("กำหนดการ.pdf", make_pdf("กำหนดการ", variant=21))))
    with page.expect_navigation():
        page.click("#enclosure-attach")
    assert page.locator("#enclosures .enclosure-list li").count() == 2
    page.fill("#enclosures input[name^=title-] >> nth=0", "แบบสำรวจข้อมูลปริมาณน้ำฝน จำนวน 1 ชุด")
    with page.expect_navigation():
        page.click("#enclosures-save")
    with page.expect_navigation():
        page.locator("#enclosures button[name=down]").first.click()
    names = page.locator("#enclosures .fname").all_inner_texts()
    assert names == ["กำหนดการ.pdf", "แบบสำรวจข้อมูล.docx"]
    assert page.locator("#f-enclosures").input_value().splitlines() == ["กำหนดการ", "แบบสำรวจข้อมูลปริมาณน้ำฝน จำนวน 1 ชุด"]
    page.locator("#enclosures").scroll_into_view_if_needed()
    shot(page, "draft-enclosure-editor")

    pick_option(page, "#people select[name=reviewer]", "อรวรรณ")
    pick_option(page, "#people select[name=signer]", "สมศักดิ์")
    with page.expect_navigation():
        page.click("#people-btn")
    with page.expect_navigation():
        page.click("#submit-btn")
    draft_url = page.url
    for who in ("ict-director", "permsec"):
        page.context.clear_cookies()
        login(page, node, who)
        page.goto(draft_url)
        with page.expect_navigation():
            page.click("#approve-btn")
    page.fill("#sign-form input[type=password]", KEY_PASSWORD)
    with page.expect_navigation():
        page.click("#sign-btn")
    page.wait_for_url(re.compile(r"/letters/"))
    letter_url = page.url

    # signed, not yet sent: the signer sees the state and the send form, recipients named in the letter ticked
    assert "ลงนามแล้ว รอส่ง" in page.locator("#awaiting").inner_text()
    form = page.locator("form.sbx-send")
    assert form.locator("input[value=tmd]").is_checked() and form.locator("input[value=nso]").is_checked()
    assert not form.locator("input[value=etda]").is_checked()
    files = page.locator("#files tbody tr").all_inner_texts()
    assert len(files) == 3 and "กำหนดการ" in files[1]
    page.locator("#sbx-panel").scroll_into_view_if_needed()
    shot(page, "signed-not-sent")

    # the drafter finds it in หนังสือรอส่ง and sends it
    page.context.clear_cookies()
    login(page, node, "officer")
    page.click("header nav a:has-text('หนังสือรอส่ง')")
    page.wait_for_selector("#awaiting-table")
    assert SUBJECT in page.locator("#awaiting-table").inner_text()
    shot(page, "awaiting-list")
    page.locator("#awaiting-table a", has_text=SUBJECT).click()
    page.wait_for_selector("form.sbx-send")
    with page.expect_navigation():
        page.locator("form.sbx-send button[type=submit]").click()
    assert page.locator(".sbx-row").count() == 2 and page.locator("#awaiting").count() == 0
    for _ in range(60):
        if "ส่งถึงแล้ว" in page.locator("#sbx-panel").inner_text():
            break
        time.sleep(1)
        page.reload()
    assert "ส่งถึงแล้ว" in page.locator("#sbx-panel").inner_text()
    shot(page, "sent-by-sbx")

    # the central registrar of another unit gets a Thai page, not a bare English "Not Found"
    page.context.clear_cookies()
    login(page, node, "registrar")
    page.goto(letter_url)
    assert page.locator("#error-page").get_attribute("data-status") == "404"
    assert "ไม่พบหน้าที่ต้องการ" in page.content() and "<h1>Not Found</h1>" not in page.content()
    shot(page, "thai-404")
    thread_and_receipt(node, page, tmp_path)


def thread_and_receipt(node: Node, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """At กรมอุตุนิยมวิทยา: register the arrival, reply to it (the thread view), print its receipt slip."""
    token = node.token("tmd-registrar")
    auth = {"Authorization": f"Bearer {token}"}
    items = [i for i in httpx.get(f"{node.url}/api/v1/intake", headers=auth, timeout=60).json()
             if i["subject"] == SUBJECT]
    assert [f["role"] for f in items[0]["files"]] == ["letter", "enclosure", "enclosure"]
    reg = httpx.post(f"{node.url}/api/v1/intake/{items[0]['id']}/register", json={}, headers=auth, timeout=60).json()
    page.context.clear_cookies()
    login(page, node, "tmd-registrar")
    page.goto(f"{node.url}/letters/{reg['id']}/")
    with page.expect_navigation():
        page.click("#reply-btn")
    assert "/drafts/" in page.url and page.locator("#f-references").input_value().startswith("หนังสือ")
    # the reply signed by กรมอุตุนิยมวิทยา's director (over the API: the browser part is the thread)
    draft_id = page.url.rstrip("/").rsplit("/", 1)[1]
    api = httpx.Client(base_url=f"{node.url}/api/v1", headers=auth, timeout=120)
    assert api.put(f"/drafts/{draft_id}/people", json={"signers": [{"person": "tmd-director"}]}).status_code == 200
    assert api.post(f"/drafts/{draft_id}/submit", json={}).status_code == 200
    director = httpx.Client(base_url=f"{node.url}/api/v1", timeout=120,
                            headers={"Authorization": f"Bearer {node.token('tmd-director')}"})
    assert director.post(f"/drafts/{draft_id}/review", json={"decision": "approve"}).status_code == 200
    signed = director.post(f"/drafts/{draft_id}/sign", json={"pins": {"tmd-director": KEY_PASSWORD}})
    assert signed.status_code == 201, signed.text
    page.goto(f"{node.url}/letters/{reg['id']}/")
    rows = page.locator("#thread li")
    assert rows.count() == 2 and rows.nth(1).get_attribute("data-relation") == "reply"
    page.locator("#thread").scroll_into_view_if_needed()
    shot(page, "thread-view")

    # the receipt slip for whoever brought a letter by hand
    receipt = page.request.get(f"{node.url}/letters/{reg['id']}/receipt.pdf")
    assert receipt.status == 200 and receipt.body().startswith(b"%PDF")
    text = pdftotext(receipt.body())
    assert "ใบรับหนังสือ" in text and reg["registration"]["display"] in text and "2569" in text
    pdf_png(receipt.body(), "receipt-slip", dpi=60)


def test_desk_enclosure_editor(demo, page, tmp_path) -> None:
    node, _ = demo
    login(page, node, "registrar")
    page.set_input_files("form.drop input[type=file]", _files(
        tmp_path, ("ปกหนังสือ.pdf", make_pdf("ปก", variant=31)), ("หนังสือจริง.pdf", make_pdf("จริง", variant=32)),
        ("ตาราง.xlsx", b"PK\x03\x04" + bytes(64))))
    with page.expect_navigation():
        page.click("form.drop button[type=submit]")
    assert "สิ่งที่ส่งมาด้วย 2 ไฟล์" in page.locator(".msgs").inner_text()
    page.wait_for_selector("#parts-form")
    assert page.locator("#parts-form li").count() == 3
    page.fill("#their_ref", "ศธ 0201/77")
    # choose the real letter and title the spreadsheet; what was typed in the form stays
    page.locator("#parts-form input[name=letter]").nth(1).check()
    page.locator("#parts-form input[name^=title-]").nth(1).fill("ตารางสรุปข้อมูล จำนวน 1 แผ่น")
    page.click("#parts-save")
    page.wait_for_function(
        "() => document.querySelector('#parts-form li.is-letter .fname').textContent.includes('จริง')")
    assert page.locator("#their_ref").input_value() == "ศธ 0201/77"
    names = page.locator("#parts-form .fname").all_inner_texts()
    assert names == ["หนังสือจริง.pdf", "ปกหนังสือ.pdf", "ตาราง.xlsx"]
    page.wait_for_function("() => document.querySelector('.preview img')?.naturalWidth > 0")
    shot(page, "desk-enclosure-editor")
    page.fill("#their_date", "1/3/2569")
    page.fill("#sender", "กระทรวงศึกษาธิการ")
    page.fill("#addressee", "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม")
    page.fill("#subject", "ขอความร่วมมือสำรวจข้อมูล")
    page.click("#register-btn")
    page.wait_for_url(re.compile(r"/letters/"))
    files = page.locator("#files tbody tr").all_inner_texts()
    assert "หนังสือจริง.pdf" in files[0] and "ตารางสรุปข้อมูล" in files[2]
    assert page.locator("#receipt-link").count() == 1
    shot(page, "letter-with-enclosures")
