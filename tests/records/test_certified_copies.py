"""Certified copies (สำเนาถูกต้อง): a derived copy stamped with the certifier's name and position, signed with
the signing backend (checked by poppler's pdfsig as well as our validator), recorded against the loan."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from saraban.letters.models import LetterFile
from saraban.records.actions.copies import certify_copy
from saraban.records.actions.loans import LoanRequest, lend
from saraban.records.models import CertifiedCopy
from saraban.storage import blobs
from tests.drafting.flow import PIN, demo_pki_dir, signing  # noqa: F401 - fixtures
from tests.fixtures import user

pytestmark = pytest.mark.django_db


def test_certified_copy_is_stamped_signed_and_recorded(letters, signing, tmp_path) -> None:  # noqa: F811
    letter = letters["normal"]
    loan = lend(user("registrar"), LoanRequest(letter_id=letter.pk, medium="copy", scope="outsider",
                                               due=dt.date(2026, 3, 31), purpose="ใช้ประกอบคดี",
                                               borrower_name="นายสมมติ ตัวอย่าง", borrower_agency="สำนักงานทนายความตัวอย่าง",
                                               approver_id=user("director").person.pk))
    original = LetterFile.objects.filter(letter=letter, role="letter").select_related("blob").get()
    before = blobs.read(original.blob)
    copy = certify_copy(user("registrar"), loan.pk)  # no personal key: the agency's seal key signs
    assert copy.loan == loan and copy.source == original and copy.signed
    assert copy.certifier_name == "นางสาวสุภาพร ใจดี" and copy.certifier_position == "เจ้าพนักงานธุรการชำนาญงาน"
    data = blobs.read(copy.blob)
    assert blobs.read(original.blob) == before and data != before  # the original untouched
    path = tmp_path / "copy.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "สำเนาถูกต้อง" in text and "สุภาพร ใจดี" in text
    sig = subprocess.run(["pdfsig", str(path)], capture_output=True).stdout.decode("utf-8", "replace")
    assert "Signature #1" in sig and "Signature is Valid" in sig, sig
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), "/tmp/saraban-16b/certified"],
                   check=False)
    assert CertifiedCopy.objects.filter(loan=loan).count() == 1


def test_only_who_may_lend_certifies(letters, signing) -> None:  # noqa: F811
    from saraban.records import errors

    loan = lend(user("registrar"), LoanRequest(letter_id=letters["normal"].pk, medium="copy", scope="internal",
                                               due=dt.date(2026, 3, 31), purpose="อ้างอิง",
                                               borrower_id=user("officer").person.pk))
    with pytest.raises(errors.SarabanError):
        certify_copy(user("officer"), loan.pk)
    assert CertifiedCopy.objects.count() == 0


def test_certify_over_the_api(letters, signing, api_for) -> None:  # noqa: F811
    loan = lend(user("registrar"), LoanRequest(letter_id=letters["normal"].pk, medium="copy", scope="internal",
                                               due=dt.date(2026, 3, 31), purpose="อ้างอิง",
                                               borrower_id=user("officer").person.pk))
    reg = api_for("registrar")
    r = reg.post_json(f"/records/loans/{loan.pk}/certified-copies", {}, key="cc-1")
    assert r.status_code == 201, r.content
    assert reg.post_json(f"/records/loans/{loan.pk}/certified-copies", {}, key="cc-1").json()["id"] == r.json()["id"]
    assert r.json()["signed"] and CertifiedCopy.objects.count() == 1
    denied = api_for("officer").post_json(f"/records/loans/{loan.pk}/certified-copies", {})
    assert denied.status_code in (403, 404) and denied.json()["code"]
