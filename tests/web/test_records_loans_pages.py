"""Lending and re-grading from the letter page (Django's test client): lend → on the letter page and in the loan
register, refusals shown as their coded Thai/English message with nothing written, return, a certified copy
made and downloaded (read-logged for a classified letter), re-grading, and no panel / 403 / 404 without rights."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from saraban.audit.models import AuditEvent
from saraban.kernel.clock import BANGKOK
from saraban.letters.models import Letter
from saraban.records.models import CertifiedCopy, Loan, Regrading
from tests.drafting.flow import PIN, demo_pki_dir, signing  # noqa: F401 - fixtures
from tests.fixtures import user
from tests.records.conftest import letters, person  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def client_for(username: str, lang: str = "th") -> Client:
    c = Client()
    c.force_login(user(username))
    if lang == "en":
        c.get("/?lang=en")
    return c


def page(c: Client, letter: Any) -> str:
    r = c.get(f"/letters/{letter.pk}/")
    assert r.status_code == 200
    return r.content.decode()


def token(html: str, suffix: str) -> str:
    m = re.search(rf'name="once" value="([^"]+-{re.escape(suffix)})"', html)
    assert m, f"no form {suffix}"
    return m.group(1)


def changes() -> int:
    """Audit events other than the logged reads of a classified letter page (shown again after a refusal)."""
    return AuditEvent.objects.exclude(action="letter.read_classified").count()


def lend_form(html: str, **over: str) -> dict[str, str]:
    data = {"once": token(html, "lend"), "medium": "electronic", "scope": "internal", "due": "20/3/2569",
            "purpose": "ใช้ประกอบการพิจารณาร่างระเบียบ", "borrower": str(person("officer").pk)}
    data.update(over)
    return data


def test_lend_shows_on_the_letter_page_and_in_the_register_then_return(letters, clock) -> None:  # noqa: F811
    letter = letters["normal"]
    reg = client_for("registrar")
    html = page(reg, letter)
    assert "การยืม" in html and "ให้ยืมหนังสือฉบับนี้" in html and "ยังไม่มีการยืมหนังสือฉบับนี้" in html
    form = lend_form(html)
    r = reg.post(f"/records/loans/lend/{letter.pk}/", form)
    assert r.status_code == 302 and r["Location"] == f"/letters/{letter.pk}/"
    assert reg.post(f"/records/loans/lend/{letter.pk}/", form).status_code == 302  # a double submit: lent once
    loan = Loan.objects.get()
    # typed in B.E.: 20/3/2569 is 20 Mar 2026, the grant runs through that Bangkok day
    assert loan.due_at == dt.datetime(2026, 3, 21, tzinfo=BANGKOK) and loan.borrower == person("officer")
    html = page(reg, letter)
    officer = person("officer").full_name_th
    assert "บันทึกการให้ยืมแล้ว" in html
    assert officer in html and "20 มี.ค. 2569" in html and "อยู่ระหว่างยืม" in html
    assert officer in reg.get("/records/loans/").content.decode()
    assert "Lend this letter" in page(client_for("registrar", "en"), letter)
    # the borrower now sees the letter (an electronic grant) and the loan, and may hand it back
    html = page(client_for("officer"), letter)
    assert officer in html and "รับคืน" in html and "ให้ยืมหนังสือฉบับนี้" not in html
    r = reg.post(f"/records/loans/{loan.pk}/return/", {"once": token(page(reg, letter), f"ret-{loan.pk}")})
    assert r.status_code == 302
    loan.refresh_from_db()
    assert loan.returned_at == clock.now() and loan.returner_name == officer
    html = page(reg, letter)
    assert "คืนแล้ว" in html and f"/records/loans/{loan.pk}/return/" not in html
    assert client_for("officer").get(f"/letters/{letter.pk}/").status_code == 404  # the grant ended


APPROVAL_TH, APPROVAL_EN = "ต้องได้รับอนุญาตจากหัวหน้าส่วนราชการระดับกอง", "recorded approval of a division head"


@pytest.mark.parametrize(("who", "which", "over", "th", "en"), [
    ("registrar", "normal", {"scope": "outsider", "medium": "paper", "borrower": "", "borrower_name": "นายสมมติ ตัวอย่าง",
                             "borrower_agency": "บริษัท ตัวอย่าง จำกัด"},
     APPROVAL_TH, APPROVAL_EN),
    ("registrar", "normal", {"due": "31/2/2569"}, "พิมพ์เป็น วัน/เดือน/ปี พ.ศ.", "day/month/B.E. year"),
    ("registrar", "normal", {"due": "1/3/2569"}, "กำหนดส่งคืนต้องอยู่หลังวันยืม", "The due date must come after"),
    ("secretary", "confidential", {}, "ผู้ยืมไม่ได้รับอนุญาตให้เข้าถึงชั้นความลับ", "not cleared"),
    ("registrar", "normal", {"scope": "other_agency", "approver": ""}, APPROVAL_TH, APPROVAL_EN),
])
def test_a_refused_loan_shows_its_coded_message_and_writes_nothing(letters, clock, who, which, over, th,  # noqa: F811
                                                                   en) -> None:
    letter = letters[which]
    for lang, words in (("th", th), ("en", en)):
        c = client_for(who, lang)
        events = changes()
        r = c.post(f"/records/loans/lend/{letter.pk}/", lend_form(page(c, letter), **over), follow=True)
        assert r.status_code == 200
        assert words in r.content.decode()
        assert Loan.objects.count() == 0 and changes() == events


def test_approved_outsider_loan_and_a_certified_copy_of_a_classified_letter(letters, signing) -> None:  # noqa: F811
    letter = letters["confidential"]
    sec = client_for("secretary")
    html = page(sec, letter)
    r = sec.post(f"/records/loans/lend/{letter.pk}/", lend_form(
        html, medium="copy", borrower=str(person("permsec").pk), purpose="ประกอบการประชุมผู้บริหาร"))
    assert r.status_code == 302
    loan = Loan.objects.get()
    html = page(sec, letter)
    r = sec.post(f"/records/loans/{loan.pk}/certify/", {"once": token(html, f"copy-{loan.pk}")})
    assert r.status_code == 302
    copy = CertifiedCopy.objects.get(loan=loan)
    html = page(sec, letter)
    assert "ทำสำเนาถูกต้องและลงลายมือชื่อแล้ว" in html and f"/records/copies/{copy.pk}/" in html
    before = AuditEvent.objects.filter(action="letter.read_classified").count()
    r = sec.get(f"/records/copies/{copy.pk}/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    data = r.getvalue()
    assert data.startswith(b"%PDF") and r["X-Content-SHA256"] == copy.blob.sha256
    ev = AuditEvent.objects.filter(action="letter.read_classified").order_by("-seq")
    assert ev.count() == before + 1 and ev[0].data["via"] == "web.records.certified_copy"
    assert letter.subject not in str(ev[0].data)
    # someone who may not see the loan gets nothing
    assert client_for("officer").get(f"/records/copies/{copy.pk}/").status_code == 404


def test_regrade_from_the_letter_page(letters, clock) -> None:  # noqa: F811
    letter = letters["normal"]
    sec = client_for("secretary")
    html = page(sec, letter)
    assert "ชั้นความลับ" in html and "ยังไม่เคยปรับชั้นความลับ" in html
    before = Regrading.objects.count()
    r = sec.post(f"/records/regrade/{letter.pk}/", {"once": token(html, "regrade"), "to": "top_secret",
                                                    "reason": "x"}, follow=True)
    assert "ลับที่สุด" in r.content.decode() and Regrading.objects.count() == before
    assert Letter.objects.get(pk=letter.pk).secrecy == "normal"
    html = page(sec, letter)
    r = sec.post(f"/records/regrade/{letter.pk}/", {"once": token(html, "regrade"), "to": "confidential",
                                                    "reason": "มีข้อมูลการรักษาความปลอดภัยของระบบ",
                                                    "authority": "คำสั่งที่ 12/2569"})
    assert r.status_code == 302
    assert Letter.objects.get(pk=letter.pk).secrecy == "confidential"
    html = page(sec, letter)
    assert "กำหนดชั้นความลับ" in html and "มีข้อมูลการรักษาความปลอดภัยของระบบ" in html and "คำสั่งที่ 12/2569" in html
    en = page(client_for("secretary", "en"), letter)
    assert "Secrecy class" in en and "Classified" in en


def test_no_rights_no_panel_and_refused_posts(letters, clock) -> None:  # noqa: F811
    letter = letters["normal"]
    loan_html = page(client_for("registrar"), letter)
    client_for("registrar").post(f"/records/loans/lend/{letter.pk}/", lend_form(loan_html))
    loan = Loan.objects.get()
    # the registrar lends, but may not re-grade: no secrecy panel, and its POST is 403
    assert 'id="secrecy-panel"' not in loan_html and 'id="loans-panel"' in loan_html
    reg = client_for("registrar")
    assert reg.post(f"/records/regrade/{letter.pk}/", {"to": "confidential", "reason": "x"}).status_code == 403
    # a registrar of another agency neither sees the letter nor may act on it or its loan
    outsider = client_for("finance-registrar")
    assert outsider.get(f"/letters/{letter.pk}/").status_code == 404
    for url in (f"/records/loans/lend/{letter.pk}/", f"/records/loans/{loan.pk}/return/",
                f"/records/loans/{loan.pk}/certify/", f"/records/regrade/{letter.pk}/"):
        assert outsider.post(url, {"to": "confidential", "reason": "x"}).status_code in (403, 404), url
    # a borrower may see the loan and return an electronic one, but not lend or certify
    officer = client_for("officer")
    html = page(officer, letter)
    assert 'id="loans-panel"' in html and 'id="secrecy-panel"' not in html and "lend-form" not in html
    assert officer.post(f"/records/loans/lend/{letter.pk}/", lend_form(loan_html)).status_code == 403
    assert officer.post(f"/records/loans/{loan.pk}/certify/", {}).status_code == 403
    assert Loan.objects.count() == 1 and Regrading.objects.count() == 0
