"""A capturing SMTP server on loopback: STARTTLS required, AUTH PLAIN required, answers chosen by the test."""

from __future__ import annotations

from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.live.conftest import free_port

from .servers import Tls


@dataclass
class Captured:
    mail_from: str
    rcpt: list[str]
    raw: bytes
    login: str

    @property
    def message(self) -> EmailMessage:
        return BytesParser(policy=policy.default).parsebytes(self.raw)  # type: ignore[return-value]


@dataclass
class Capture:
    user: str = "saraban-relay"
    password: str = "relay-secret"
    received: list[Captured] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)  # next DATA answers (e.g. "451 4.3.0 busy"); then 250
    port: int = 0
    controller: Any = None

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = auth_data.login.decode() == self.user and auth_data.password.decode() == self.password
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.answers:
            return self.answers.pop(0)
        login = session.auth_data.login.decode() if session.authenticated and session.auth_data else ""
        self.received.append(Captured(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content, login))
        return f"250 2.0.0 Ok: queued as CAP{len(self.received)}"


def start_capture(tls: Tls) -> Capture:
    cap = Capture(port=free_port())
    cap.controller = Controller(cap, hostname="127.0.0.1", port=cap.port, tls_context=tls.server_context(),
                                require_starttls=True, auth_required=True, auth_require_tls=True,
                                authenticator=cap.authenticate, decode_data=False, server_hostname="localhost")
    cap.controller.start()
    return cap
