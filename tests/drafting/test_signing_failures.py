"""A failed signing leaves nothing: no number taken, no letter, no register row, no file — for a wrong
or missing PIN, an expired certificate, a signer who is not the approved one, a key that no longer
holds the approved certificate, a time-stamping authority that does not answer, and a failure inside
the keeping transaction.  A number taken by another letter meanwhile makes the letter be signed again
with the next one.  Bad drafts (empty subject, overflowing page) are refused before review."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from saraban.drafting import actions, queries, signing_flow, trust
from saraban.drafting.actions.keys import register_key
from saraban.drafting.models import DraftStatus, SignedRecord, SignerKey
from saraban.kernel.clock import UTC
from saraban.kernel.errors import SarabanError
from saraban.letters.models import Letter
from saraban.registry.models import RegisterBook, RegisterEntry
from saraban.signing.pki import PersonSpec, TestPKI
from saraban.storage import blobs
from tests.fixtures import user

from ..letterpress.pdftools import pdftotext, squash
from .flow import PIN, approved, person

pytestmark = pytest.mark.django_db


def blob_files() -> set[Path]:
    return {p for p in blobs.store().root.rglob("*") if p.is_file() and p.name != ".lock"}  # type: ignore[attr-defined]


def assert_nothing_kept(draft, before: set[Path]) -> None:  # type: ignore[no-untyped-def]
    assert not Letter.objects.exists() and not RegisterEntry.objects.exists()
    assert not SignedRecord.objects.exists()
    assert not RegisterBook.objects.filter(last_number__gt=0).exists()
    assert blob_files() == before
    draft.refresh_from_db()
    assert draft.status == DraftStatus.APPROVED and draft.letter_id is None


def fails(code: str, draft, actor: str = "permsec", **kw) -> SarabanError:  # type: ignore[no-untyped-def]
    with pytest.raises(SarabanError) as exc:
        signing_flow.sign_draft(user(actor), draft, **kw)
    assert exc.value.code == code, (exc.value.code, exc.value.message_en)
    assert exc.value.message_th and exc.value.message_en
    return exc.value


def test_pin_errors_and_the_wrong_signer(signing) -> None:
    draft = approved()
    before = blob_files()
    fails("pin_incorrect", draft, pins={"permsec": "1234"})
    fails("pin_required", draft, pins={})
    assert fails("signer_not_approved", draft, actor="ict-director", pins={"ict-director": PIN}).status == 403
    fails("signer_not_approved", draft, actor="officer", pins={"officer": PIN})
    assert_nothing_kept(draft, before)
    from saraban.audit.models import AuditEvent

    codes = [e.data["code"] for e in AuditEvent.objects.filter(action="drafting.sign_failed").order_by("seq")]
    assert codes == ["pin_incorrect", "pin_required", "signer_not_approved", "signer_not_approved"]
    assert signing_flow.sign_draft(user("permsec"), draft, pins={"permsec": PIN}).number == "ดศ 0204/1"


def test_expired_certificate(signing, demo_pki_dir) -> None:
    pki = TestPKI.load(demo_pki_dir)
    cred = pki.issue_person(PersonSpec("permsec-expired", "นายสมศักดิ์ ปกครองดี"),
                            not_before=dt.datetime(2025, 1, 1, tzinfo=UTC),
                            not_after=dt.datetime(2026, 2, 1, tzinfo=UTC))
    register_key(None, person=person("permsec"), path=str(demo_pki_dir / f"{cred.id}.p12"), pin=PIN)
    draft = approved()
    before = blob_files()
    fails("certificate_expired", draft, pins={"permsec": PIN})
    assert_nothing_kept(draft, before)


def test_key_no_longer_holding_the_approved_certificate(signing, demo_pki_dir, tmp_path) -> None:
    own = tmp_path / "permsec.p12"
    shutil.copy(demo_pki_dir / "person-permsec.p12", own)
    register_key(None, person=person("permsec"), path=str(own), pin=PIN)
    draft = approved()
    shutil.copy(demo_pki_dir / "person-director.p12", own)  # someone swapped the key file
    before = blob_files()
    assert fails("signer_not_approved", draft, pins={"permsec": PIN}).status == 403
    assert_nothing_kept(draft, before)


def test_no_key_configured(signing) -> None:
    SignerKey.objects.filter(person=person("permsec")).update(active=False)
    draft = approved()
    fails("no_signer_key", draft, pins={"permsec": PIN})


def test_time_stamping_authority_down(signing, settings) -> None:
    draft = approved()
    before = blob_files()
    settings.SARABAN_TSA_URL = "http://127.0.0.1:9/"  # nothing listens there
    trust.forget()
    assert fails("timestamp_failed", draft, pins={"permsec": PIN}).status == 503
    assert_nothing_kept(draft, before)


def test_failure_inside_the_keeping_transaction(signing, monkeypatch) -> None:
    draft = approved()
    before = blob_files()

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise SarabanError("ที่เก็บไฟล์ขัดข้อง", "The file store failed", code="store_failed", status=503)

    from saraban.drafting.actions import signing as signing_actions

    monkeypatch.setattr(signing_actions, "store_file", broken)
    fails("store_failed", draft, pins={"permsec": PIN})
    assert_nothing_kept(draft, before)  # the number taken inside the transaction went back with it
    monkeypatch.undo()
    assert signing_flow.sign_draft(user("permsec"), draft, pins={"permsec": PIN}).number == "ดศ 0204/1"


def test_number_taken_meanwhile_signs_again_with_the_next(signing, monkeypatch) -> None:
    from saraban.registry.actions import issue_outgoing
    from saraban.registry.validation import OutgoingMetadata

    draft = approved()
    real = signing_flow._sign_once
    calls = []

    def racing(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = real(*args, **kwargs)
        calls.append(result.planned.number)
        if len(calls) == 1:  # another letter takes the number while this one is being signed
            issue_outgoing(user("permsec"), OutgoingMetadata(unit="ops-ict", addressee="กรมศิลปากร",
                                                             subject="หนังสือที่ออกเลขก่อน"))
        return result

    from saraban.orgs.models import Role, RoleGrant, Unit

    RoleGrant.objects.create(person=person("permsec"), unit=Unit.objects.get(code="ops-ict"), role=Role.REGISTRAR)
    monkeypatch.setattr(signing_flow, "_sign_once", racing)
    record = signing_flow.sign_draft(user("permsec"), draft, pins={"permsec": PIN})
    assert calls == [1, 2] and record.number == "ดศ 0204/2"
    assert list(RegisterEntry.objects.order_by("number").values_list("display", flat=True)) == [
        "ดศ 0204/1", "ดศ 0204/2"]
    assert squash("ที่ ดศ 0204/2") in squash(pdftotext(blobs.read(record.signed_file.blob)))
    # the first signed file (with the number 1 printed) was not kept
    assert SignedRecord.objects.count() == 1 and Letter.objects.filter(their_ref="ดศ 0204/1").count() == 1


def test_bad_drafts_are_refused_before_review(signing) -> None:
    officer = user("officer")
    draft = actions.create_draft(officer, kind="external", form={"to_title": "อธิบดี", "body": "ข้อความ"})
    actions.set_people(officer, draft, reviewers=[], signers=[actions.SignerChoice(person("permsec"))])
    with pytest.raises(SarabanError) as exc:
        actions.submit_checked(officer, queries.draft_for(officer, draft.pk))
    assert exc.value.code == "subject_empty" and "เรื่อง" in exc.value.message_th

    stamped = actions.create_draft(officer, kind="stamped", form={
        "subject": "เตือนการส่งแบบสำรวจ", "to": "กรมศิลปากร", "purpose": "เตือนเรื่องที่ค้าง",
        "body": "\n\n".join(["ขอให้ดำเนินการส่งแบบสำรวจการดำเนินงานสารบรรณอิเล็กทรอนิกส์โดยเร็ว" * 3] * 25)})
    actions.set_people(officer, stamped, reviewers=[], signers=[actions.SignerChoice(person("director"), "seal")])
    with pytest.raises(SarabanError) as exc:
        actions.submit_checked(officer, queries.draft_for(officer, stamped.pk))
    assert exc.value.code == "too_many_pages" and exc.value.details["allowed"] == 1

    with pytest.raises(SarabanError) as exc:
        actions.create_draft(officer, kind="memo", form={"subject": "ลับที่สุด", "secrecy": "ลับที่สุด"})
    assert exc.value.code == "top_secret_refused"
    with pytest.raises(SarabanError) as exc:  # the officer is not cleared for ลับ
        actions.create_draft(officer, kind="memo", form={"subject": "ลับ", "secrecy": "ลับ"})
    assert exc.value.code == "draft_not_allowed"


def test_a_busy_book_cannot_starve_a_letter(signing, monkeypatch) -> None:
    """Every optimistic attempt loses its number to another letter: the last attempt takes the
    number first and signs while holding it."""
    from saraban.orgs.models import Role, RoleGrant, Unit
    from saraban.registry.actions import issue_outgoing
    from saraban.registry.validation import OutgoingMetadata

    RoleGrant.objects.create(person=person("permsec"), unit=Unit.objects.get(code="ops-ict"), role=Role.REGISTRAR)
    draft = approved()
    real = signing_flow._sign_once
    calls = []

    def racing(job, planned):  # type: ignore[no-untyped-def]
        result = real(job, planned)
        calls.append(planned.number)
        if len(calls) <= signing_flow.OPTIMISTIC_ATTEMPTS:
            meta = OutgoingMetadata(unit="ops-ict", addressee="กรมศิลปากร", subject=f"ออกเลขก่อน {len(calls)}")
            issue_outgoing(user("permsec"), meta)
        return result

    monkeypatch.setattr(signing_flow, "_sign_once", racing)
    before = blob_files()
    record = signing_flow.sign_draft(user("permsec"), draft, pins={"permsec": PIN})
    assert calls == [1, 2, 3, 4] and record.number == "ดศ 0204/4"
    assert list(RegisterEntry.objects.order_by("number").values_list("number", flat=True)) == [1, 2, 3, 4]
    assert squash("ที่ ดศ 0204/4") in squash(pdftotext(blobs.read(record.signed_file.blob)))
    kept = blob_files() - before  # the signed letter and its file copy; the three lost attempts left nothing
    assert {p.name for p in kept} == {record.sha256, record.file_copy.sha256}
