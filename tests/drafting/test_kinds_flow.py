"""Every kind through the flow: each signed letter is valid (ours and poppler's ``pdfsig``), numbered in
its book as the regulation wants (ที่ ดศ 0204/n, ว n, n/2569, เลขที่ n/2569, the secret series, records
without a number), and prints what its form prints — the seal and initials of a stamped letter, the
typed name and system time of a typed-name record."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client

from saraban.drafting import signing_flow, trust
from saraban.registry.models import RegisterEntry
from saraban.signing.validate import validate_pdf
from saraban.storage import blobs
from tests.fixtures import user

from ..letterpress.pdftools import pdfsig, pdftotext, squash
from .flow import PIN, approved

pytestmark = pytest.mark.django_db

BODY = "ย่อหน้าแรกของหนังสือเพื่อทดสอบการดำเนินงาน\n\n1. ข้อแรก\n2. ข้อที่สอง"
PKI = ("permsec", "pki")
TYPED = ("director", "typed")
SEAL = ("director", "seal")

CASES = [
    # kind, form, signer, (book, printed number or None)
    ("external", {"to_title": "อธิบดีกรมศิลปากร"}, PKI, ("sent", "ดศ 0204/1"), False),
    ("external", {"to_title": "ส่วนราชการในสังกัด"}, PKI, ("circular", "ดศ 0204/ว 1"), True),
    ("memo", {"to_title": "ปลัดกระทรวง"}, TYPED, ("sent", "ดศ 0204/2"), False),
    ("stamped", {"to": "กรมศิลปากร", "purpose": "เตือนเรื่องที่ค้าง"}, SEAL, ("sent", "ดศ 0204/3"), False),
    ("order", {}, PKI, ("order", "1/2569"), False),
    ("regulation", {}, PKI, ("announcement", None), False),
    ("rule", {}, PKI, ("announcement", None), False),
    ("announcement", {}, PKI, ("announcement", None), False),
    ("statement", {"series_no": "1"}, SEAL, ("announcement", None), False),
    ("news", {}, SEAL, ("announcement", None), False),
    ("certificate", {}, PKI, ("certificate", "1/2569"), False),
    ("minutes", {"session": "1/2569", "meeting_date": "2/3/2569", "place": "ห้องประชุม 1",
                 "attendees": "นายวิชัย คำสอน | คณะทำงาน"}, ("ict-director", "pki"), (None, None), False),
    ("memo_record", {"to_title": "ผู้อำนวยการกองกลาง"}, TYPED, (None, None), False),
    ("other", {"title": "บันทึกการส่งมอบเอกสาร"}, PKI, (None, None), False),
]


def test_every_kind_signed_numbered_and_valid(signing) -> None:
    announcements = 0
    for kind, extra, (who, mode), (book, printed), circular in CASES:
        draft = approved(kind, reviewers=(), signers=((who, mode),), circular=circular,
                         form={"subject": f"เรื่องทดสอบ{kind}", "body": BODY, **extra})
        record = signing_flow.sign_draft(user(who), draft, pins={who: PIN})
        pdf = blobs.read(record.signed_file.blob)
        if os.environ.get("SARABAN_DRAFTING_DUMP"):  # to look at them: pdftoppm -png DIR/*.pdf
            Path(os.environ["SARABAN_DRAFTING_DUMP"], f"{kind}{'-circular' if circular else ''}.pdf").write_bytes(pdf)
        report = validate_pdf(pdf, **trust.validation_args())
        assert report.valid, (kind, report.text("en"))
        assert "Signature is Valid" in pdfsig(pdf), kind
        text = squash(pdftotext(pdf))
        assert squash(f"เรื่องทดสอบ{kind}") in text or kind in ("stamped", "certificate", "minutes", "memo_record",
                                                              "other"), kind
        entry = RegisterEntry.objects.select_related("book").filter(letter_id=record.letter_id).first()
        if book is None:
            assert entry is None and record.number == "", kind
            continue
        assert entry is not None and entry.book.kind == book, kind
        if book == "announcement":
            announcements += 1
            assert entry.display == f"{announcements}/2569", kind
        if printed:
            assert entry.display == printed, kind
            label = "เลขที่" if kind == "certificate" else "" if kind == "order" else "ที่"
            assert squash(f"{label}{printed}") in text, (kind, text[:300])
        if kind == "memo":  # a typed name and the system time stand for a signature (No. 4)
            assert squash("(นายประเสริฐ บริหารดี)") in text and "ลงนามโดยพิมพ์ชื่อในระบบ3มี.ค.256910.42น." in text
            assert record.signers[-1]["mode"] == "seal" and len(report.signatures) == 1
        if kind == "stamped":  # the seal appearance carries the initials
            assert report.signatures[0].signer == "TEST agency seal mdes-ops"
            assert "ป.บ." in pdftotext(pdf)
    assert announcements == 5


def test_classified_letter_numbered_in_the_secret_series_and_verified_minimally(signing) -> None:
    draft = approved("external", drafter="ict-director", reviewers=(), signers=(("permsec", "pki"),),
                     form={"subject": "แผนรักษาความปลอดภัยระบบ", "to_title": "ผู้อำนวยการ", "body": BODY,
                           "secrecy": "ลับ"})
    record = signing_flow.sign_draft(user("permsec"), draft, pins={"permsec": PIN})
    entry = RegisterEntry.objects.select_related("book").get(letter_id=record.letter_id)
    assert (entry.book.kind, entry.display, entry.secrecy) == ("secret_sent", "ดศ 0204/ลับ 1", "confidential")
    assert record.signed_file.blob.encrypted and record.file_copy.encrypted
    page = Client().get(f"/verify/{record.token}").content.decode()
    assert record.sha256 in page and "ดศ 0204/ลับ 1" not in page and "แผนรักษาความปลอดภัยระบบ" not in page
    assert "นายสมศักดิ์" not in page
    api = Client().get(f"/api/v1/verify/{record.token}").json()
    assert api["classified"] and "number" not in api and "signers" not in api
    # reading the file copy logs the file copy (not the signed file)
    from saraban.audit.models import AuditEvent

    signer = Client()
    signer.force_login(user("permsec"))
    assert signer.get(f"/letters/{record.letter_id}/file-copy.pdf").status_code == 200
    read = AuditEvent.objects.filter(action="letter.read_classified").latest("seq")
    assert (read.object_id, read.data["role"], read.data["sha256"], read.data["via"]) == (
        str(record.letter_id), "file_copy", record.file_copy.sha256, "web.file_copy")


def test_countersigned_order_each_signer_in_order(signing) -> None:
    draft = approved("order", reviewers=(), signers=(("permsec", "pki"), ("director", "pki")),
                     form={"subject": "แต่งตั้งคณะทำงานร่วม", "body": BODY})
    record = signing_flow.sign_draft(user("director"), draft, pins={"permsec": PIN, "director": PIN})
    report = validate_pdf(blobs.read(record.signed_file.blob), **trust.validation_args())
    assert report.valid
    assert [s.signer for s in report.signatures] == ["TEST นายสมศักดิ์ ปกครองดี", "TEST นายประเสริฐ บริหารดี"]
    assert [s["name"] for s in record.signers] == ["นายสมศักดิ์ ปกครองดี", "นายประเสริฐ บริหารดี"]
    text = squash(pdftotext(blobs.read(record.signed_file.blob)))
    assert text.index(squash("(นายสมศักดิ์")) < text.index(squash("(นายประเสริฐ"))


@pytest.mark.parametrize("level", ["B-T", "B-LTA"])
def test_signing_level_from_settings(signing, settings, level) -> None:
    settings.SARABAN_SIGNING_LEVEL = level
    trust.forget()
    draft = approved("memo", reviewers=(), signers=(("permsec", "pki"),),
                     form={"subject": "ระดับลายมือชื่อ", "to_title": "ปลัดกระทรวง", "body": BODY})
    record = signing_flow.sign_draft(user("permsec"), draft, pins={"permsec": PIN})
    report = validate_pdf(blobs.read(record.signed_file.blob), **trust.validation_args())
    assert report.valid and record.level == level and report.signatures[0].level == level
    if level == "B-LTA":
        assert report.signatures[-1].kind == "timestamp"
