"""The two interfaces of the mail gateway, and what they exchange."""

from __future__ import annotations

import ssl
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: str  # tls | starttls | none
    user: str = ""
    password: str = ""
    ca_file: str | None = None
    timeout: float = 60.0

    def tls_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(cafile=self.ca_file)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        return ctx


@dataclass(frozen=True)
class SmtpAnswer:
    code: int
    reply: str

    def __str__(self) -> str:
        return f"{self.code} {self.reply}"


class SendFailed(Exception):
    """The server refused (``retry=False``: a 5xx answer) or could not be reached (``retry=True``)."""

    def __init__(self, code: int | None, reply: str, *, retry: bool) -> None:
        super().__init__(f"{code or ''} {reply}".strip())
        self.code, self.reply, self.retry = code, reply[:1000], retry


class MailSender(Protocol):
    def send(self, server: Server, mail_from: str, rcpt: str, raw: bytes) -> SmtpAnswer:
        """Hand ``raw`` to the server for ``rcpt``; return its answer to the data, or raise :class:`SendFailed`."""
        ...


class Mailbox(Protocol):
    uidvalidity: int

    def pending(self) -> list[tuple[int, int]]:
        """(uid, size) of every message not yet taken, oldest first."""
        ...

    def fetch(self, uid: int) -> bytes:
        """The message exactly as the server holds it (without marking it read)."""
        ...

    def mark_taken(self, uid: int) -> None:
        """Remember on the server that Saraban has safely stored this message."""
        ...

    def mark_too_large(self, uid: int) -> None:
        """Leave a message that is too large to fetch on the server, marked so it is not tried again."""
        ...


class MailboxReader(Protocol):
    def open(self, server: Server, folder: str) -> AbstractContextManager[Mailbox]:
        ...
