"""The mail gateway's deployment settings (environment variables; the mailbox itself is set on its screen).

- ``SARABAN_MAIL_MAX_MB``  largest mail accepted (default 25); an account may set its own limit
- ``SARABAN_MAIL_HARD_MAX_MB``  a mailbox message above this is left on the IMAP server, not fetched (200)
- ``SARABAN_MAIL_CA_FILE``  CA certificates to verify the IMAP and SMTP servers (default: the system's)
- ``SARABAN_MAIL_TLS_CERT`` / ``SARABAN_MAIL_TLS_KEY``  certificate for the built-in receiver's STARTTLS
- ``SARABAN_MAIL_REQUIRE_TLS``  ``1``: the receiver refuses mail before STARTTLS
- ``SARABAN_MAIL_TRUSTED_AUTHSERV``  comma-separated authserv-ids whose Authentication-Results are trusted
- ``SARABAN_MAIL_POLL_SECONDS``  how often the IMAP mailbox is read (default 120)
- ``SARABAN_MAIL_SENDER`` / ``SARABAN_MAIL_READER``  ``smtp`` / ``imap`` (the defaults)
- ``SARABAN_MAIL_DOMAIN``  domain of the Message-IDs we make (default: the central address's)
"""

from __future__ import annotations

import os

from django.conf import settings


def get(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    return str(value) if value not in (None, "") else os.environ.get(name, default)


def max_bytes(account_limit: int = 0) -> int:
    return account_limit or int(float(get("SARABAN_MAIL_MAX_MB", "25")) * 1024 * 1024)


def hard_max_bytes() -> int:
    return int(float(get("SARABAN_MAIL_HARD_MAX_MB", "200")) * 1024 * 1024)


def trusted_authserv() -> list[str]:
    return [s.strip() for s in get("SARABAN_MAIL_TRUSTED_AUTHSERV").split(",") if s.strip()]


def poll_seconds() -> float:
    return float(get("SARABAN_MAIL_POLL_SECONDS", "120"))


def ca_file() -> str | None:
    return get("SARABAN_MAIL_CA_FILE") or None
