"""Notifications: in-app rows, a real SMTP server on loopback (aiosmtpd), a fake LINE Messaging API on
loopback, channel choice and the daily digest."""

from __future__ import annotations

import datetime as dt
import email
import json
import threading
from collections.abc import Iterator
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from saraban.kernel import periodic
from saraban.kernel.clock import BANGKOK
from saraban.routing import actions as routing
from saraban.routing.models import Notification, Outbound
from saraban.routing.notify.delivery import send_one
from saraban.routing.resolve import Target
from saraban.routing.tasks import send_daily_digests
from tests.fixtures import user

from .helpers import registered

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp(settings) -> Iterator[Inbox]:
    from tests.live.conftest import free_port

    inbox = Inbox()
    port = free_port()
    ctl = Controller(inbox, hostname="127.0.0.1", port=port)
    ctl.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.DEFAULT_FROM_EMAIL = "saraban@mdes.go.th"
    try:
        yield inbox
    finally:
        ctl.stop()


class FakeLine:
    """Answers POST /v2/bot/message/push like the LINE platform; ``fail`` sets the next statuses."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.fail: list[int] = []
        seen: set[str] = set()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append({"path": self.path, "auth": self.headers["Authorization"],
                                       "retry_key": self.headers["X-Line-Retry-Key"], "body": body})
                status = outer.fail.pop(0) if outer.fail else (409 if self.headers["X-Line-Retry-Key"] in seen else 200)
                if status == 200:
                    seen.add(self.headers["X-Line-Retry-Key"])
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("x-line-request-id", f"req-{len(outer.requests)}")
                self.end_headers()
                self.wfile.write(b"{}" if status == 200 else b'{"message":"error"}')

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def line(settings) -> Iterator[FakeLine]:
    fake = FakeLine()
    settings.SARABAN_LINE_API_BASE, settings.SARABAN_LINE_CHANNEL_TOKEN = fake.url, "test-channel-token"
    settings.SARABAN_LINE_CHANNEL_SECRET = "test-channel-secret"
    try:
        yield fake
    finally:
        fake.server.shutdown()


def _officer_with_email(**prefs):
    officer = user("officer")
    officer.person.email = "kittisak@mdes.go.th"
    officer.person.save()
    routing.set_preferences(officer, **prefs)
    return officer


def test_email_through_a_real_smtp_server(org, clock, smtp, django_capture_on_commit_callbacks) -> None:
    _officer_with_email(email=True, line=False)
    entry = registered(subject="ขอเชิญประชุมคณะทำงานด้านดิจิทัล")
    with django_capture_on_commit_callbacks(execute=True):
        routing.assign(user("registrar"), entry.letter, [Target(person="officer")], instruction="ดำเนินการ",
                       working_days=3)
    [msg] = smtp.messages
    assert msg["To"] == "kittisak@mdes.go.th"
    # Django folds long encoded headers as "Subject: \n =?utf-8?b?…" (compat32): the folding space leads
    assert msg["Subject"].strip() == "มอบหมายงาน: ขอเชิญประชุมคณะทำงานด้านดิจิทัล"
    assert "กำหนดเสร็จ 6 มี.ค. 2569" in msg.get_content() and f"/letters/{entry.letter_id}/" in msg.get_content()
    ob = Outbound.objects.get(channel="email")
    assert ob.status == "sent" and ob.provider_id == msg["Message-ID"].strip()
    assert Notification.objects.filter(person=user("officer").person, event="assigned").count() == 1


def link_line(username: str, line_user_id: str, secret: str = "test-channel-secret") -> None:
    """Link a LINE account the verified way: a one-time code, sent back by a signed LINE webhook."""
    import base64
    import hashlib
    import hmac

    from django.test import Client

    code, _ = routing.start_line_link(user(username))
    body = json.dumps({"destination": "Uoa", "events": [{"type": "message", "message": {"type": "text", "text": code},
                                                         "source": {"type": "user", "userId": line_user_id}}]})
    sig = base64.b64encode(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()).decode()
    r = Client().post("/hooks/line", body, content_type="application/json", HTTP_X_LINE_SIGNATURE=sig)
    assert r.status_code == 200 and r.json() == {"linked": 1}


def test_line_push_through_a_fake_line_server(org, clock, line, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        link_line("officer", "U4af4980629")
    assert line.requests.pop()["body"]["messages"][0]["text"].startswith("เชื่อมต่อ LINE")
    routing.set_preferences(user("officer"), email=False, line=True)
    entry = registered(subject="แจ้งเตือนพายุฤดูร้อน")
    line.fail = [500]  # the first push fails: the row waits for a retry
    with django_capture_on_commit_callbacks(execute=True):
        routing.assign(user("registrar"), entry.letter, [Target(person="officer")], instruction="ดำเนินการ",
                       working_days=1)
    ob = Outbound.objects.get(channel="line", notification__isnull=False)
    assert ob.status == "pending" and ob.attempts == 1 and "500" in ob.last_error
    send_one(ob)
    ob.refresh_from_db()
    assert ob.status == "sent" and ob.provider_id == "req-2"
    first, second = line.requests
    assert first["path"] == "/v2/bot/message/push" and first["auth"] == "Bearer test-channel-token"
    assert first["retry_key"] == second["retry_key"]  # a retry reuses the key: never delivered twice
    assert second["body"]["to"] == "U4af4980629"
    assert second["body"]["messages"][0]["type"] == "text"
    assert second["body"]["messages"][0]["text"].startswith("มอบหมายงาน: แจ้งเตือนพายุฤดูร้อน")
    send_one(ob)  # already sent: nothing more goes out
    assert len(line.requests) == 2
    line.fail = [400]
    ob2 = Outbound.objects.create(person=ob.person, channel="line", address="Ubad", subject="s", body="b",
                                  created_at=ob.created_at)
    send_one(ob2)
    assert ob2.status == "failed"  # a client error is not retried


def test_daily_digest(org, clock, smtp, django_capture_on_commit_callbacks) -> None:
    _officer_with_email(email=True, line=False, mode="digest", digest_hour=7)
    with django_capture_on_commit_callbacks(execute=True):
        for subject in ("เรื่องที่หนึ่ง", "เรื่องที่สอง"):
            entry = registered(subject=subject)
            routing.assign(user("registrar"), entry.letter, [Target(person="officer")], instruction="ดำเนินการ",
                           working_days=3)
    assert smtp.messages == []  # nothing at once for a digest reader
    clock.set(dt.datetime(2026, 3, 4, 6, 30, tzinfo=BANGKOK))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests.call() == 0  # before the chosen hour
    clock.set(dt.datetime(2026, 3, 4, 7, 5, tzinfo=BANGKOK))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests.call() == 1
        assert send_daily_digests.call() == 0  # once a day: nothing new
    [msg] = smtp.messages
    assert "2 รายการ" in msg["Subject"]
    assert "เรื่องที่หนึ่ง" in msg.get_content() and "เรื่องที่สอง" in msg.get_content()

    # a notice later that day waits for tomorrow's digest: one message a day, however often the ticker runs
    clock.set(dt.datetime(2026, 3, 4, 10, 0, tzinfo=BANGKOK))
    with django_capture_on_commit_callbacks(execute=True):
        entry = registered(subject="เรื่องที่สาม")
        routing.assign(user("registrar"), entry.letter, [Target(person="officer")], instruction="ดำเนินการ",
                       working_days=3)
    for hour in (11, 15, 23):
        clock.set(dt.datetime(2026, 3, 4, hour, 0, tzinfo=BANGKOK))
        with django_capture_on_commit_callbacks(execute=True):
            assert periodic.run_all()["routing.digests"] == "0"
    clock.set(dt.datetime(2026, 3, 5, 7, 0, tzinfo=BANGKOK))
    with django_capture_on_commit_callbacks(execute=True):
        assert periodic.run_all()["routing.digests"] == "1"
    assert len(smtp.messages) == 2 and "1 รายการ" in smtp.messages[1]["Subject"]
    assert "เรื่องที่สาม" in smtp.messages[1].get_content()


def test_switching_to_digest_does_not_resend_old_notices(org, clock, smtp, django_capture_on_commit_callbacks) -> None:
    _officer_with_email(email=True, line=False, mode="each")
    with django_capture_on_commit_callbacks(execute=True):
        entry = registered(subject="ส่งไปแล้วทีละเรื่อง")
        routing.assign(user("registrar"), entry.letter, [Target(person="officer")], instruction="ดำเนินการ",
                       working_days=3)
    assert len(smtp.messages) == 1
    routing.set_preferences(user("officer"), email=True, line=False, mode="digest", digest_hour=7)
    clock.set(dt.datetime(2026, 3, 4, 8, 0, tzinfo=BANGKOK))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests.call() == 0
    assert len(smtp.messages) == 1


def test_preferences_refuse_what_cannot_work(org) -> None:
    from saraban.kernel.errors import InvalidInput

    with pytest.raises(InvalidInput):
        routing.set_preferences(user("officer"), email=False, line=True)  # no LINE account linked
    with pytest.raises(InvalidInput):
        routing.set_preferences(user("officer"), email=True, line=False)  # no e-mail address on record
