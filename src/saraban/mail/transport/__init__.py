"""How mail leaves and arrives: a :class:`MailSender` (SMTP out) and a :class:`MailboxReader` (IMAP in).

Implementations are chosen by settings (``SARABAN_MAIL_SENDER``, ``SARABAN_MAIL_READER``; ``smtp`` and
``imap`` are the only ones today); tests install their own with :func:`use` (no monkeypatching).  The
built-in SMTP receiver is not behind an interface: it *is* the server (:mod:`saraban.mail.smtpd`).
"""

from __future__ import annotations

from .base import Mailbox, MailboxReader, MailSender, SendFailed, Server, SmtpAnswer

__all__ = ["MailSender", "Mailbox", "MailboxReader", "SendFailed", "Server", "SmtpAnswer", "reader", "sender", "use"]

_sender: MailSender | None = None
_reader: MailboxReader | None = None


def use(*, sender: MailSender | None = None, reader: MailboxReader | None = None, reset: bool = False) -> None:
    """Install a sender and/or reader (e.g. fakes in tests); ``reset=True`` goes back to the configured ones."""
    global _sender, _reader
    if reset:
        _sender = _reader = None
    if sender is not None:
        _sender = sender
    if reader is not None:
        _reader = reader


def sender() -> MailSender:
    if _sender is not None:
        return _sender
    from ..conf import get

    kind = get("SARABAN_MAIL_SENDER", "smtp")
    if kind != "smtp":
        raise RuntimeError(f"unknown SARABAN_MAIL_SENDER {kind!r}")
    from .smtp import SmtpSender

    return SmtpSender()


def reader() -> MailboxReader:
    if _reader is not None:
        return _reader
    from ..conf import get

    kind = get("SARABAN_MAIL_READER", "imap")
    if kind != "imap":
        raise RuntimeError(f"unknown SARABAN_MAIL_READER {kind!r}")
    from .imap import ImapReader

    return ImapReader()
