"""The built-in SMTP receiver against a real SMTP client (smtplib) on loopback."""

from __future__ import annotations

import hashlib
import smtplib
from email import policy
from email.parser import BytesParser

import pytest

from saraban.intake.models import IntakeItem
from saraban.mail.models import MailMessage
from saraban.storage import blobs

from .mails import OPS, letter_mail


def test_one_hundred_thai_letters_become_one_hundred_items_with_exact_originals(receiver) -> None:
    handler, port = receiver
    sent: dict[str, bytes] = {}
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        for i in range(1, 101):
            raw = letter_mail(i)
            mid = BytesParser(policy=policy.default).parsebytes(raw)["Message-ID"]
            refused = smtp.sendmail("saraban@tmd.mdes.test", [OPS], raw)
            assert refused == {}
            sent[mid] = raw
    handler.drain()
    rows = {m.message_id: m for m in MailMessage.objects.select_related("raw")}
    assert len(rows) == 100
    for mid, raw in sent.items():
        m = rows[mid]
        kept = blobs.read(m.raw)
        assert kept == raw and m.sha256 == hashlib.sha256(raw).hexdigest()  # byte-exact, hashed
        assert m.status == "queued", m.reasons
    items = IntakeItem.objects.filter(channel="email", agency__code="mdes-ops")
    assert items.count() == 100
    first_mid, first_raw = next(iter(sent.items()))
    item = items.get(source_ref=first_mid)
    [att] = BytesParser(policy=policy.default).parsebytes(first_raw).iter_attachments()
    assert item.subject == "หนังสือทดสอบ"  # the letter's own เรื่อง wins over the mail's subject
    assert item.metadata["sender"] == "กรมอุตุนิยมวิทยา"  # matched by the central address in the directory
    assert item.metadata["their_ref"] == "ทดสอบ 0001/1" and item.metadata["their_date"] == "2026-01-05"
    [f] = item.files.all()
    assert f.name == "หนังสือเชิญประชุม 1.pdf" and f.role == "letter" and blobs.read(f.blob) == att.get_content()


def test_refusals_at_smtp_have_proper_codes(receiver, settings) -> None:
    handler, port = receiver
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.ehlo()
        assert smtp.mail("a@tmd.mdes.test")[0] == 250
        code, reply = smtp.rcpt("nobody@ops.mdes.test")
        assert code == 550 and b"5.1.1" in reply
        code, reply = smtp.rcpt(OPS)
        assert code == 250
        smtp.rset()
        code, reply = smtp.mail("a@tmd.mdes.test", [f"SIZE={handler.max_bytes + 1}"])
        assert code == 552 and b"5.3.4" in reply
    big = letter_mail(1, attachments=[("ใหญ่.pdf", b"%PDF-1.4\n" + b"0" * (handler.max_bytes + 10))])
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp, pytest.raises(smtplib.SMTPSenderRefused) as refused:
        smtp.sendmail("a@tmd.mdes.test", [OPS], big)  # smtplib announces SIZE: refused at MAIL FROM
    assert refused.value.smtp_code == 552
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:  # a client that does not announce it
        smtp.ehlo()
        assert smtp.mail("a@tmd.mdes.test")[0] == 250 and smtp.rcpt(OPS)[0] == 250
        code, _ = smtp.data(big)
        assert code == 552
    assert MailMessage.objects.count() == 0  # refused: the sender's server keeps it and bounces
