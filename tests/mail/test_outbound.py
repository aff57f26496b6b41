"""Sending an issued letter by e-mail: a real SMTP server (STARTTLS + AUTH) receives the signed PDF and its
enclosures intact, the signature still validates, and each recipient's dispatch carries the server's answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import transaction

from saraban.exchange import actions as exchange
from saraban.exchange import directory
from saraban.exchange.models import Dispatch, Participant
from saraban.kernel.errors import SarabanError
from saraban.letters.actions import store_file
from saraban.letters.models import FileRole, Letter
from saraban.mail import actions, sender
from saraban.mail.models import OutgoingMail
from saraban.orgs.models import Agency
from saraban.signing.pki import TestPKI
from saraban.signing.validate import validate_pdf
from tests.exchange.conftest import fed_root, sbx  # noqa: F401 - fixtures
from tests.exchange.helpers import issue, signed_pdf
from tests.fixtures import make_pdf, user

pytestmark = pytest.mark.django_db

ENCLOSURES = [("สิ่งที่ส่งมาด้วย 1 แบบสำรวจข้อมูล.pdf", 11), ("สิ่งที่ส่งมาด้วย 2 รายชื่อผู้ประสานงาน.pdf", 12)]


def _email_only(code: str) -> Participant:
    p = Participant.objects.get(code=code)
    p.endpoint, p.entry = "", {**p.entry, "channels": ["email"]}
    p.save()
    directory.forget()
    return p


def _configure_smtp(capture, tls, settings) -> None:
    settings.SARABAN_MAIL_CA_FILE = str(tls.ca_file)
    actions.save_account(user("admin"), Agency.objects.get(code="mdes-ops"), {
        "address": "saraban@ops.mdes.test", "smtp_host": "localhost", "smtp_port": capture.port,
        "smtp_security": "starttls", "smtp_user": capture.user}, smtp_password=capture.password)


def _letter_with_enclosures(pki_dir: Path) -> Letter:
    letter = Letter.objects.get(pk=issue(pdf=signed_pdf(str(pki_dir / "pki"))).letter_id)
    with transaction.atomic():
        for name, variant in ENCLOSURES:
            store_file(letter, role=FileRole.ENCLOSURE, name=name, data=make_pdf(f"สิ่งที่ส่งมาด้วย {variant}",
                                                                                 variant=variant))
    return letter


def test_a_signed_letter_arrives_intact_and_its_signature_validates(sbx, capture, tls, settings) -> None:  # noqa: F811
    _configure_smtp(capture, tls, settings)
    nso = _email_only("nso")
    letter = _letter_with_enclosures(sbx)
    [d] = exchange.dispatch(user("registrar"), letter, ["nso"])
    assert d.channel == "email" and d.status == "queued" and d.evidence.startswith("<")
    assert sender.deliver_due() == {"sent": 1}
    [got] = capture.received
    assert got.rcpt == [nso.email] and got.mail_from == "saraban@ops.mdes.test" and got.login == capture.user
    m = got.message
    assert m["Message-ID"] == d.evidence
    assert m["Subject"].startswith("ด่วน ที่ ดศ 0201/") and "ขอความอนุเคราะห์ข้อมูลปริมาณน้ำฝน" in m["Subject"]
    parts = list(m.iter_attachments())
    from saraban.storage import blobs

    files = {f.name: blobs.read(f.blob) for f in letter.files.select_related("blob")}
    assert [p.get_filename() for p in parts] == ["letter.pdf", *(n for n, _ in ENCLOSURES)]  # Thai names (RFC 2231)
    for p in parts:
        assert p.get_content() == files[p.get_filename()]  # byte for byte
    pki = TestPKI.load(sbx / "pki")
    report = validate_pdf(parts[0].get_content(), trust_roots=[pki.root.cert], other_certs=[pki.intermediate.cert])
    assert report.valid, report.text("en")
    d.refresh_from_db()
    assert d.status == "sent" and d.evidence.startswith(m["Message-ID"])
    assert "250 2.0.0 Ok: queued as CAP1" in d.evidence
    out = OutgoingMail.objects.get(dispatch_id=d.pk)
    assert (out.status, out.smtp_code, out.attempts) == ("sent", 250, 1)


def test_busy_server_is_retried_with_the_same_message_then_a_refusal_fails_with_its_reason(
        sbx, capture, tls, settings, clock) -> None:  # noqa: F811
    _configure_smtp(capture, tls, settings)
    _email_only("nso")
    _email_only("etda")
    letter = _letter_with_enclosures(sbx)
    capture.answers = ["451 4.3.0 Try again later"]
    d_nso, d_etda = exchange.dispatch(user("registrar"), letter, ["nso", "etda"])
    assert sender.deliver_due() == {"retry": 1, "sent": 1}
    retried = next(d for d in (d_nso, d_etda) if OutgoingMail.objects.get(dispatch_id=d.pk).status == "pending")
    out = OutgoingMail.objects.get(dispatch_id=retried.pk)
    assert out.smtp_code == 451 and out.attempts == 1
    retried.refresh_from_db()
    assert retried.status == "queued" and retried.reason_code == "RETRYING"
    clock.advance(hours=2)
    capture.answers = ["550 5.1.1 Mailbox unknown"]
    assert sender.deliver_due() == {"failed": 1}
    retried.refresh_from_db()
    out.refresh_from_db()
    assert (retried.status, retried.reason_code) == ("failed", "SMTP_550") and "Mailbox unknown" in retried.reason_text
    assert out.attempts == 2 and out.status == "failed"
    assert len(capture.received) == 1  # the other recipient's copy


def test_wrong_password_fails_without_retrying(sbx, capture, tls, settings) -> None:  # noqa: F811
    _configure_smtp(capture, tls, settings)
    capture.password = "changed"
    _email_only("nso")
    [d] = exchange.dispatch(user("registrar"), _letter_with_enclosures(sbx), ["nso"])
    assert sender.deliver_due() == {"failed": 1}
    d.refresh_from_db()
    assert d.status == "failed" and "authentication failed" in d.reason_text


@pytest.mark.parametrize("secrecy", ["confidential", "secret"])
def test_classified_letters_never_travel_by_plain_email(sbx, capture, tls, settings, secrecy) -> None:  # noqa: F811
    _configure_smtp(capture, tls, settings)
    _email_only("nso")
    entry = issue(username="secretary", secrecy=secrecy, subject="เรื่องลับทดสอบ")
    letter = Letter.objects.get(pk=entry.letter_id)
    with pytest.raises(SarabanError) as exc:
        exchange.dispatch(user("secretary"), letter, ["nso"])
    assert exc.value.code == "classified_by_email"
    assert not Dispatch.objects.filter(letter=letter).exists() and not OutgoingMail.objects.exists()
    assert capture.received == []
