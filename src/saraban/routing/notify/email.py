"""E-mail through Django's e-mail backend (SMTP in production; settings choose the server)."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid

from .base import NotifyFailed, setting


class EmailNotifier:
    channel = "email"

    def send(self, address: str, subject: str, body: str, *, key: str) -> str:
        msg_id = make_msgid(idstring=key[:32], domain=setting("SARABAN_MAIL_DOMAIN", "saraban.local"))
        msg = EmailMessage(subject=subject, body=body, from_email=setting("DEFAULT_FROM_EMAIL", "saraban@localhost"),
                           to=[address], headers={"Message-ID": msg_id})
        try:
            msg.send(fail_silently=False)
        except (OSError, ValueError) as exc:
            raise NotifyFailed(f"smtp: {exc}") from exc
        return msg_id
