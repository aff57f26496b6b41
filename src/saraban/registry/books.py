"""The kinds of register book and how their numbers are displayed."""

from __future__ import annotations

from django.db import models

from saraban.kernel.thai import Digits, digits


class BookKind(models.TextChoices):
    RECEIVED = "received", "ทะเบียนหนังสือรับ"
    SENT = "sent", "ทะเบียนหนังสือส่ง"
    CIRCULAR = "circular", "ทะเบียนหนังสือเวียน (ว)"
    ORDER = "order", "ทะเบียนคำสั่ง"
    ANNOUNCEMENT = "announcement", "ทะเบียนประกาศ"
    CERTIFICATE = "certificate", "ทะเบียนหนังสือรับรอง"
    SECRET_RECEIVED = "secret_received", "ทะเบียนรับหนังสือลับ"
    SECRET_SENT = "secret_sent", "ทะเบียนส่งหนังสือลับ"


BOOK_EN = {
    "received": "Received register", "sent": "Sent register", "circular": "Circular register (ว)",
    "order": "Orders register", "announcement": "Announcements register", "certificate": "Certificates register",
    "secret_received": "Secret received register", "secret_sent": "Secret sent register",
}

INCOMING_BOOKS = {BookKind.RECEIVED, BookKind.SECRET_RECEIVED}
OUTGOING_BOOKS = {
    BookKind.SENT, BookKind.CIRCULAR, BookKind.ORDER, BookKind.ANNOUNCEMENT, BookKind.CERTIFICATE,
    BookKind.SECRET_SENT,
}
SECRET_BOOKS = {BookKind.SECRET_RECEIVED, BookKind.SECRET_SENT}


def display_parts(kind: str, *, prefix: str, year_be: int) -> tuple[str, str]:
    """The text before and after the number, e.g. ``("ดศ 0201/ว ", "")`` or ``("", "/2569")``."""
    if kind == BookKind.SENT:
        return f"{prefix}/", ""
    if kind == BookKind.CIRCULAR:
        return f"{prefix}/ว ", ""
    if kind == BookKind.SECRET_SENT:
        return f"{prefix}/ลับ ", ""
    if kind in (BookKind.ORDER, BookKind.ANNOUNCEMENT, BookKind.CERTIFICATE):
        return "", f"/{year_be}"
    if kind in (BookKind.RECEIVED, BookKind.SECRET_RECEIVED):
        return "", ""
    raise ValueError(kind)


def display_number(kind: str, number: int, *, prefix: str, year_be: int, digit_style: Digits = "arabic") -> str:
    """How a number is written: ``ดศ 0201/1234``, ``ดศ 0201/ว 12``, ``12/2569``, received ``457``.

    Secret outgoing letters take their own series, marked ``ลับ`` so their ที่ never collides with the
    ordinary series of the same unit.
    """
    before, after = display_parts(kind, prefix=prefix, year_be=year_be)
    return digits(f"{before}{number}{after}", digit_style)
