"""Actions on people and accounts."""

from __future__ import annotations

from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from saraban.audit import log as audit
from saraban.kernel.actions import action


@action("account.totp_start")
def start_totp(user: Any) -> TOTPDevice:
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="Saraban", confirmed=False)
    audit.record("account.totp_start", actor=user, obj=device)
    return device


@action("account.totp_confirm")
def confirm_totp(user: Any, device: TOTPDevice) -> None:
    TOTPDevice.objects.filter(pk=device.pk, user=user).update(confirmed=True)
    audit.record("account.totp_confirm", actor=user, obj=device)
