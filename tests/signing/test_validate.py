"""The validation report, in Thai and in English."""

from __future__ import annotations

import pytest

from saraban.signing.pades import SignedLetter
from saraban.signing.pki import TestPKI
from saraban.signing.validate import validate_pdf

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)


def test_report_in_thai_and_english(signed_external: SignedLetter, pki: TestPKI) -> None:
    report = validate_pdf(signed_external.pdf, trust_roots=pki.trust_roots, other_certs=[pki.intermediate.cert])
    th = report.text("th", digits="thai")
    for expected in ("ผลรวม: ถูกต้อง", "ผู้ลงนาม: TEST นายสมชาย ใจดี", "จากตราประทับเวลาที่เชื่อถือได้",
                     "สายใบรับรอง: TEST นายสมชาย ใจดี → TEST Saraban Issuing CA → TEST Saraban Root CA",
                     "แก้ไขหลังลงนาม: ไม่ใช่", "ครอบคลุมทั้งเอกสาร: ใช่", "ใบรับรองเชื่อถือได้: ใช่", report.sha256):
        assert expected in th
    en = report.text("en")
    for expected in ("Overall: VALID", "Signer: TEST นายสมชาย ใจดี", "from a trusted time-stamp",
                     "Modified after signing: no", "Covers the whole document: yes", "Level: PAdES B-T"):
        assert expected in en
    data = report.as_dict()
    assert data["valid"] is True and data["signatures"][0]["signer"] == "TEST นายสมชาย ใจดี"


def test_report_on_an_invalid_file_says_why_in_both_languages(pki: TestPKI) -> None:
    report = validate_pdf(b"not a pdf at all", trust_roots=pki.trust_roots)
    assert not report.valid
    assert "ผลรวม: ไม่ถูกต้อง" in report.text("th") and "อ่านไฟล์ PDF ไม่ได้" in report.text("th")
    assert "Overall: NOT VALID" in report.text("en") and "cannot be read" in report.text("en")
