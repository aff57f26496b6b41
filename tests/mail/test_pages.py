"""The incoming-mail pages and the reply with the receipt number, through the web UI."""

from __future__ import annotations

import pytest
from django.test import Client

from saraban.intake import actions as intake
from saraban.intake.models import IntakeItem
from saraban.mail import pipeline, sender, senders
from saraban.mail.models import MailMessage, OutgoingMail
from saraban.orgs.models import Agency
from tests.fixtures import user

from .mails import OPS, letter_mail

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    c = Client()
    c.force_login(user(username))
    return c


def _form(c: Client, url: str, data: dict) -> object:
    page = c.get(url.rsplit("/", 2)[0] + "/")
    token = page.content.decode().split('name="once" value="')[1].split('"')[0]
    return c.post(url, {**data, "once": token})


def test_incoming_mail_view_quarantine_and_reply_with_the_number(org, capture, tls, settings) -> None:
    from saraban.mail import actions

    senders.forget()
    ops = Agency.objects.get(code="mdes-ops")
    settings.SARABAN_MAIL_CA_FILE = str(tls.ca_file)
    actions.save_account(user("admin"), ops, {"address": OPS, "smtp_host": "localhost", "smtp_port": capture.port,
                                              "smtp_security": "starttls", "smtp_user": capture.user},
                         smtp_password=capture.password)
    [good] = pipeline.accept(letter_mail(1), [ops], source="smtp", envelope_to=OPS)
    [bad] = pipeline.accept(letter_mail(2, sender="saraban@trnd.mdes.test"), [ops], source="smtp", envelope_to=OPS)
    c = _client("registrar")
    page = c.get("/mail/").content.decode()
    assert "หนังสือทดสอบ" in page or "ขอเชิญประชุม" in page
    assert f'data-mail="{bad.pk}" data-status="quarantined"' in page and "คล้ายโดเมนของหน่วยงาน" in page
    assert _client("tmd-registrar").get(f"/mail/{good.pk}/").status_code == 404  # another agency's mail
    detail = c.get(f"/mail/{bad.pk}/").content.decode()
    assert "เหตุที่กักไว้" in detail and "ส่งเข้าคิวรอลงทะเบียน" in detail
    good = MailMessage.objects.get(pk=good.pk)
    item = IntakeItem.objects.get(pk=good.intake_item_id)
    assert "ลงทะเบียนรับหนังสือนี้ในคิวรอลงทะเบียนก่อน" in c.get(f"/mail/{good.pk}/").content.decode()
    entry = intake.register(user("registrar"), item, {"addressee": "ปลัดกระทรวง"})
    detail = c.get(f"/mail/{good.pk}/").content.decode()
    assert f"เลขรับที่ {entry.display}" in detail and "ได้รับหนังสือดังกล่าวและลงทะเบียนรับแล้ว" in detail
    r = _form(c, f"/mail/{good.pk}/reply/", {"subject": f"แจ้งเลขรับหนังสือ เลขรับที่ {entry.display}",
                                             "body": f"เรียน ผู้ส่ง\n\nลงทะเบียนรับแล้ว เลขรับที่ {entry.display}\n"})
    assert r.status_code == 302 and not OutgoingMail.objects.filter(status="failed").exists()
    out = OutgoingMail.objects.get(reply_to=good)
    assert sender.deliver_due() == {"sent": 1}
    [got] = capture.received
    m = got.message
    assert got.rcpt == ["saraban@tmd.mdes.test"] and m["In-Reply-To"] == good.message_id
    assert entry.display in m["Subject"] and entry.display in m.get_content()
    out.refresh_from_db()
    assert out.status == "sent" and "ส่งแล้ว" in c.get(f"/mail/{good.pk}/").content.decode()


def test_settings_and_health_pages(org, settings) -> None:
    c = _client("admin")
    r = c.post("/mail/settings/", {"agency": "mdes-ops", "address": OPS, "inbound": "imap", "enabled": "on",
                                   "imap_host": "imap.ops.mdes.test", "imap_port": "993", "imap_security": "tls",
                                   "imap_user": "saraban", "imap_folder": "INBOX", "imap_password": "ลับมาก123",
                                   "smtp_port": "587", "smtp_security": "starttls", "max_mb": "30"})
    assert r.status_code == 302, r.content.decode()[-500:]
    page = c.get("/mail/settings/?agency=mdes-ops").content.decode()
    assert "ลับมาก123" not in page and "เก็บไว้แล้ว" in page and 'value="imap.ops.mdes.test"' in page
    bad = c.post("/mail/settings/", {"agency": "mdes-ops", "address": "not an address", "inbound": "smtp"})
    assert bad.status_code == 422 and "ตั้งค่ากล่องจดหมายไม่ถูกต้อง" in bad.content.decode()
    assert _client("registrar").get("/mail/settings/").status_code == 404  # officers do not configure
    health = _client("registrar").get("/mail/health/").content.decode()
    assert 'data-agency="mdes-ops"' in health and "IMAP" in health
