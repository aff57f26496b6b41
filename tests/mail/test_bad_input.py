"""Hostile and broken mail: each is kept (original byte for byte) and quarantined with a reason, never queued."""

from __future__ import annotations

import hashlib
from email import policy
from email.message import EmailMessage

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saraban.intake.models import IntakeItem
from saraban.mail import parse, pipeline, senders
from saraban.mail.models import MailMessage
from saraban.orgs.models import Agency
from saraban.storage import blobs

from .mails import OPS, bomb, letter_mail, zip_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops(org) -> Agency:
    senders.forget()
    return Agency.objects.get(code="mdes-ops")


def _accept(raw: bytes, agency: Agency, envelope_from: str = "saraban@tmd.mdes.test") -> MailMessage:
    [row] = pipeline.accept(raw, [agency], source="smtp", envelope_from=envelope_from, envelope_to=OPS)
    return MailMessage.objects.select_related("raw").get(pk=row.pk)


def _codes(m: MailMessage) -> set[str]:
    return {r["code"] for r in m.reasons}


MALFORMED = (b"From: a@tmd.mdes.test\r\nTo: saraban@ops.mdes.test\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
             b"Content-Type: multipart/mixed; boundary=\"zzz\"\r\n\r\n--yyy\r\nContent-Type: text/plain\r\n\r\nhi\r\n")


def _encrypted_pdf() -> bytes:
    import io

    import pikepdf

    from tests.fixtures import make_pdf

    with pikepdf.open(io.BytesIO(make_pdf())) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="secret"))
        return out.getvalue()


CASES = {
    "malformed_mime": lambda: MALFORMED,
    "no_from": lambda: letter_mail(1).replace(b"From: ", b"X-Old-From: ", 1),
    "spoofed_lookalike": lambda: letter_mail(1, sender="saraban@trnd.mdes.test"),  # rn for m
    "spoofed_punycode": lambda: letter_mail(1, sender="saraban@xn--tmd-mdes-9za.test"),
    "executable": lambda: letter_mail(1, attachments=[("หนังสือ.pdf.exe", b"MZ\x90\x00" + b"\0" * 100)]),
    "executable_in_zip": lambda: letter_mail(1, attachments=[("เอกสาร.zip", zip_of({"setup.exe": b"MZ..."}))]),
    "password_pdf": lambda: letter_mail(1, attachments=[("หนังสือ.pdf", _encrypted_pdf())]),
    "password_zip": lambda: letter_mail(1, attachments=[("เอกสาร.zip", zip_of({"a.pdf": b"%PDF"}, encrypted=True))]),
    "archive_bomb": lambda: letter_mail(1, attachments=[("ข้อมูล.zip", bomb())]),
    "unknown_charset": lambda: letter_mail(1).replace(b'charset="utf-8"', b'charset="x-martian-9"', 1),
    "classified": lambda: letter_mail(1, subject="ลับมาก ที่ ดศ 0301/9 เรื่อง แผนลับ"),
}
EXPECTED = {
    "malformed_mime": "malformed_mime", "no_from": "no_from", "spoofed_lookalike": "spoofed",
    "spoofed_punycode": "spoofed", "executable": "executable", "executable_in_zip": "executable",
    "password_pdf": "password_protected", "password_zip": "password_protected", "archive_bomb": "archive_bomb",
    "unknown_charset": "unknown_charset", "classified": "classified",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_hostile_mail_is_kept_and_quarantined_with_its_reason(ops, case) -> None:
    raw = CASES[case]()
    m = _accept(raw, ops)
    assert blobs.read(m.raw) == raw and m.sha256 == hashlib.sha256(raw).hexdigest()  # the original is never lost
    assert m.status == "quarantined" and EXPECTED[case] in _codes(m), m.reasons
    assert all(r["th"] and r["en"] for r in m.reasons)  # Thai and English reasons
    assert m.intake_item_id is None and not IntakeItem.objects.exists()  # nothing queued, nothing registered


def test_a_classified_mail_is_encrypted_at_rest_and_its_subject_appears_nowhere(ops) -> None:
    from saraban.audit.models import AuditEvent

    m = _accept(CASES["classified"](), ops)
    assert m.raw.encrypted and m.classified and m.subject == ""
    assert not any("แผนลับ" in str(e.data) for e in AuditEvent.objects.all())


def test_envelope_sender_from_elsewhere_for_a_known_domain_is_flagged(ops) -> None:
    m = _accept(letter_mail(1), ops, envelope_from="bulk@spam.example")
    assert m.status == "quarantined" and "spoofed" in _codes(m)


def test_failed_dkim_reported_by_our_relay_is_flagged(ops, settings) -> None:
    settings.SARABAN_MAIL_TRUSTED_AUTHSERV = "mx.ops.mdes.test"
    raw = letter_mail(1, extra={"Authentication-Results": "mx.ops.mdes.test; dkim=fail header.d=tmd.mdes.test"})
    m = _accept(raw, ops)
    assert "spoofed" in _codes(m)
    forged = letter_mail(2, extra={"Authentication-Results": "evil.example; dkim=fail"})  # not our relay: ignored
    assert _accept(forged, ops).status == "queued"


def test_thai_legacy_encodings_are_read_not_quarantined(ops) -> None:
    m = EmailMessage(policy=policy.SMTP)
    m["From"] = "saraban@tmd.mdes.test"
    m["To"] = OPS
    m["Subject"] = "ที่ ดศ 0301/77 เรื่อง ทดสอบ TIS-620"
    m.set_content("เรียน ปลัดกระทรวง ข้อความภาษาไทยแบบ TIS-620", charset="tis-620")
    msg = _accept(m.as_bytes(), ops)
    assert msg.status == "queued", msg.reasons
    assert parse.parse(m.as_bytes()).body.startswith("เรียน ปลัดกระทรวง")


def test_suspicious_mail_waits_for_an_officer_then_enters_the_queue(ops) -> None:
    from saraban.mail import actions
    from tests.fixtures import user

    m = _accept(letter_mail(1, sender="saraban@trnd.mdes.test"), ops)
    assert m.status == "quarantined" and not IntakeItem.objects.exists()
    with pytest.raises(Exception) as exc:
        actions.release(user("tmd-registrar"), m)  # another agency's officer
    assert getattr(exc.value, "code", "") == "mail_not_allowed"
    released = actions.release(user("registrar"), m, "โทรยืนยันกับผู้ส่งแล้ว")
    item = IntakeItem.objects.get(pk=released.intake_item_id)
    assert item.status == "pending" and item.channel == "email"  # queued, still registered only by a person
    with pytest.raises(Exception) as exc:
        actions.discard(user("registrar"), m, "ซ้ำ")
    assert getattr(exc.value, "code", "") == "mail_closed"


def test_duplicates_are_flagged_by_message_id_and_by_reference_across_channels(ops) -> None:
    from saraban.intake import actions as intake
    from saraban.registry.actions import Upload
    from saraban.registry.validation import IntakeMetadata
    from tests.fixtures import make_pdf, user

    # the same letter came on paper first, typed with Thai digits
    scan = intake.submit(user("registrar"), IntakeMetadata(
        their_ref="ทดสอบ ๐๐๐๑/๑", their_date="2026-01-05", sender="กรมอุตุนิยมวิทยา", subject="หนังสือทดสอบ",
        unit="ops-central"), Upload(make_pdf(variant=99), "scan.pdf"), channel="scan")
    a = _accept(letter_mail(1, mid="<same@tmd.mdes.test>"), ops)
    assert a.status == "queued" and a.flags["duplicate"] == {"by": "their_ref", "intake_item": str(scan.pk),
                                                             "channel": "scan"}
    b = _accept(letter_mail(1, mid="<same@tmd.mdes.test>"), ops)
    assert b.flags["duplicate"] == {"by": "message_id", "mail": str(a.pk), "intake_item": str(a.intake_item_id)}
    assert IntakeItem.objects.filter(channel="email").count() == 2  # flagged, not dropped: the officer decides


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(min_size=0, max_size=3000))
def test_parsing_never_raises_on_any_bytes(data: bytes) -> None:
    p = parse.parse(data)
    assert isinstance(p.problems, list)
    parse.parse_headers(data)
