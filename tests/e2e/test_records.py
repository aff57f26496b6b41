"""The records pages in a browser: import a file plan, file a letter from its page (the retention stamp shows on
its copy), make the destruction list and appoint the committee as the head.  Screenshots go to _screens/."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.fixtures import make_pdf

from .conftest import login, pick_option, shot

pytestmark = [pytest.mark.browser, pytest.mark.backend("sqlite")]

PLAN = ("code,parent,title_th,title_en,retention,special_years,special_law,basis\n"
        "01,,งานบริหารทั่วไป,General administration,10y,,,\n"
        "01.01,01,การลา,Leave,1y,,,ข้อ 57 เรื่องธรรมดาที่ทำเป็นประจำ\n"
        "01.02,01,หนังสือเวียนทั่วไป,General circulars,10y,,,\n"
        "02,,นโยบายและแผน,Policy and plans,permanent,,,\n").encode()


def test_records_in_the_browser(e2e_node, page) -> None:
    token = e2e_node.token("registrar")
    r = httpx.post(f"{e2e_node.url}/api/v1/letters/incoming", headers={"Authorization": f"Bearer {token}"},
                   files={"file": ("l.pdf", make_pdf("ขอลาพักผ่อน", variant=21), "application/pdf")},
                   data={"metadata": json.dumps({"their_ref": "ทส 0101/15", "their_date": "2024-01-05",
                                                 "sender": "กองทดสอบ", "addressee": "ปลัดกระทรวง",
                                                 "subject": "ขอลาพักผ่อนประจำปี (นาย ก. สมมติ)"},
                                                ensure_ascii=False)}, timeout=60)
    assert r.status_code == 201, r.text
    letter_id = r.json()["id"]
    login(page, e2e_node, "registrar")
    page.goto(f"{e2e_node.url}/records/plan/")
    page.set_input_files("input[name=file]", files=[{"name": "plan.csv", "mimeType": "text/csv", "buffer": PLAN}])
    page.click("text=นำเข้า >> nth=-1")
    page.wait_for_selector("text=การลา")
    assert "ห้ามทำลาย" in page.inner_text("table.reg")
    shot(page, "records-plan")

    page.goto(f"{e2e_node.url}/letters/{letter_id}/")
    pick_option(page, "select[name=file_code]", "01.01")
    page.fill("input[name=completed_on]", "2024-01-05")
    page.click("text=จัดเก็บเข้าแฟ้ม")
    page.wait_for_selector("text=เก็บถึง พ.ศ.")
    assert "2568" in page.inner_text("main")
    shot(page, "records-letter-filed")

    page.goto(f"{e2e_node.url}/records/")
    page.fill("input[name=year]", "2568")
    page.click("text=จัดทำบัญชีหนังสือขอทำลาย")
    page.wait_for_selector("text=บัญชีหนังสือขอทำลาย ประจำปี พ.ศ.")
    list_url = page.url
    assert "ขอลาพักผ่อนประจำปี" in page.inner_text("main")
    shot(page, "records-destruction-list")

    page.context.clear_cookies()
    login(page, e2e_node, "permsec")
    page.goto(list_url)
    pick_option(page, "select[name=chair]", "บริหารดี")
    values = page.eval_on_selector("select[name=members]", "s => [...s.options].filter(o => !o.text.includes("
                                   "'บริหารดี')).slice(0, 2).map(o => o.value)")
    page.select_option("select[name=members]", values)
    page.click("text=แต่งตั้งคณะกรรมการ >> nth=-1")
    page.wait_for_selector("text=ประธานกรรมการ")
    assert "แต่งตั้งคณะกรรมการแล้ว" in page.inner_text("main")
    shot(page, "records-committee")
