"""The mailbox's health: last poll, what waits, what failed (the health screen, ``saraban mail health``)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings

from saraban.intake.models import IntakeItem, IntakeStatus
from saraban.orgs.models import Agency

from .models import MailAccount, MailMessage, MailStatus, OutgoingMail, OutStatus

FRESH_SECONDS = 90.0


def _beat_path() -> Path:
    return Path(settings.HOME) / "mail" / "smtpd.alive"


def beat() -> None:
    p = _beat_path()
    try:
        os.utime(p)
    except FileNotFoundError:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.touch()


def receiver_alive() -> bool:
    try:
        return time.time() - _beat_path().stat().st_mtime < FRESH_SECONDS
    except FileNotFoundError:
        return False


def agency_report(agency: Agency) -> dict[str, Any]:
    acc = MailAccount.objects.filter(agency=agency).first()
    mail = MailMessage.objects.filter(agency=agency)
    out = OutgoingMail.objects.filter(agency=agency)
    last = mail.order_by("-received_at").values_list("received_at", flat=True).first()
    email_items = IntakeItem.objects.filter(agency=agency, channel="email", status=IntakeStatus.PENDING)
    problems = list(mail.filter(status=MailStatus.RECEIVED).exclude(process_error="")
                    .values_list("process_error", flat=True)[:5])
    return {
        "agency": agency.code, "agency_name": agency.name_th,
        "address": (acc.address if acc else "") or agency.central_email,
        "configured": acc is not None, "inbound": acc.inbound if acc else "smtp",
        "enabled": acc.enabled if acc else True,
        "last_poll_at": acc.last_poll_at if acc else None, "last_poll_ok_at": acc.last_poll_ok_at if acc else None,
        "last_poll_taken": acc.last_poll_taken if acc else 0,
        "last_error": acc.last_error if acc else "", "last_error_at": acc.last_error_at if acc else None,
        "last_received_at": last,
        "waiting_examination": mail.filter(status=MailStatus.RECEIVED).count(),
        "quarantined": mail.filter(status=MailStatus.QUARANTINED).count(),
        "in_queue": email_items.count(),
        "outgoing_pending": out.filter(status=OutStatus.PENDING).count(),
        "outgoing_failed": out.filter(status=OutStatus.FAILED).count(),
        "examination_errors": problems,
        "smtp_configured": bool(acc and acc.smtp_host),
    }


def report(agencies: list[Agency] | None = None) -> dict[str, Any]:
    if agencies is None:
        agencies = [a for a in Agency.objects.filter(hosted=True) if a.central_email
                    or MailAccount.objects.filter(agency=a).exists()]
    return {"receiver_alive": receiver_alive(), "mailboxes": [agency_report(a) for a in agencies]}
