"""/api/v1/records: lending and re-grading over the API, with coded errors and Idempotency-Key."""

from __future__ import annotations

import pytest

from saraban.records.models import Loan, Regrading
from tests.fixtures import make_pdf, meta

pytestmark = pytest.mark.django_db


@pytest.fixture
def letters_api(api_for, clock):
    reg, sec = api_for("registrar"), api_for("secretary")
    normal = reg.incoming(meta(subject="ขอเชิญประชุมคณะทำงาน")).json()["id"]
    conf = sec.incoming(meta(secrecy="confidential", subject="แผนลับเฉพาะ", their_ref="ลับ/1"),
                        make_pdf(variant=3)).json()["id"]
    return {"registrar": reg, "secretary": sec, "normal": normal, "confidential": conf, "officer": api_for("officer")}


def test_lend_return_and_idempotency(letters_api) -> None:
    reg, officer = letters_api["registrar"], letters_api["officer"]
    assert officer.get(f"/letters/{letters_api['normal']}").status_code == 404
    body = {"letter_id": letters_api["normal"], "medium": "electronic", "scope": "internal", "due": "2026-03-10",
            "purpose": "ประกอบการพิจารณา", "borrower": "officer"}
    r = reg.post_json("/records/loans", body, key="lend-1")
    assert r.status_code == 201, r.content
    again = reg.post_json("/records/loans", body, key="lend-1")
    assert again.status_code == 201 and again.json()["id"] == r.json()["id"] and Loan.objects.count() == 1
    loan = r.json()
    assert loan["out"] and loan["borrower_name"] == "นายกิตติศักดิ์ ขยันงาน" and loan["subject"] == "ขอเชิญประชุมคณะทำงาน"
    assert officer.get(f"/letters/{letters_api['normal']}").status_code == 200  # the grant at work
    assert [x["id"] for x in officer.get("/records/loans", year=2569).json()] == [loan["id"]]  # the borrower's own
    back = officer.post_json(f"/records/loans/{loan['id']}/return", {})
    assert back.status_code == 200 and back.json()["out"] is False
    assert officer.get(f"/letters/{letters_api['normal']}").status_code == 404


def test_refusals_are_coded(letters_api) -> None:
    reg, sec = letters_api["registrar"], letters_api["secretary"]
    r = sec.post_json("/records/loans", {"letter_id": letters_api["confidential"], "medium": "electronic",
                                         "scope": "internal", "due": "2026-03-10", "purpose": "x",
                                         "borrower": "officer"})
    assert r.status_code == 403 and r.json()["code"] == "loan_borrower_not_cleared" and r.json()["message_en"]
    r = reg.post_json("/records/loans", {"letter_id": letters_api["normal"], "medium": "paper", "scope": "outsider",
                                         "due": "2026-03-10", "purpose": "x", "borrower_name": "นายสมมติ",
                                         "borrower_agency": "บริษัทตัวอย่าง"})
    assert r.status_code == 403 and r.json()["code"] == "loan_approval_required"
    r = sec.post_json(f"/records/letters/{letters_api['confidential']}/regrade", {"to": "top_secret", "reason": "x"})
    assert r.status_code == 422 and r.json()["code"] == "regrade_top_secret_refused"
    assert Loan.objects.count() == 0 and Regrading.objects.count() == 0


def test_regrade_and_history(letters_api) -> None:
    sec, reg = letters_api["secretary"], letters_api["registrar"]
    letter = letters_api["normal"]
    r = sec.post_json(f"/records/letters/{letter}/regrade", {"to": "confidential", "reason": "มีข้อมูลความมั่นคง",
                                                             "authority": "บันทึกที่ 1/2569"}, key="rg-1")
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["change"] == "classify" and out["moved_from"] == ["1"] and out["moved_to"] == ["2"]
    assert reg.get(f"/letters/{letter}").status_code == 404  # the ordinary registrar lost sight of it
    hist = sec.get(f"/records/letters/{letter}/regradings")
    assert hist.status_code == 200 and [h["to_secrecy"] for h in hist.json()] == ["confidential"]
