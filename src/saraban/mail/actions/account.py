"""The mailbox's settings (one per agency); passwords are stored encrypted and never echoed back."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from saraban.audit import log as audit
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor
from saraban.orgs.models import Agency

from .. import credentials, policy, senders
from ..errors import BadAccount
from ..models import Inbound, MailAccount, Security


class AccountIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    address: str = Field(max_length=254, pattern=r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}$")
    inbound: Inbound = Inbound.SMTP
    enabled: bool = True
    max_mb: float = Field(0, ge=0, le=500)
    imap_host: str = Field("", max_length=255, pattern=r"^[A-Za-z0-9.\-:\[\]]*$")
    imap_port: int = Field(993, ge=1, le=65535)
    imap_security: Security = Security.TLS
    imap_user: str = Field("", max_length=255)
    imap_folder: str = Field("INBOX", min_length=1, max_length=255)
    smtp_host: str = Field("", max_length=255, pattern=r"^[A-Za-z0-9.\-:\[\]]*$")
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_security: Security = Security.STARTTLS
    smtp_user: str = Field("", max_length=255)


def _parse(fields: dict[str, Any]) -> AccountIn:
    try:
        data = AccountIn.model_validate(fields)
    except ValidationError as exc:
        bad = ", ".join(str(e["loc"][0]) for e in exc.errors() if e.get("loc"))
        raise BadAccount(f"ตั้งค่ากล่องจดหมายไม่ถูกต้อง: {bad}", f"The mailbox settings are not valid: {bad}",
                         details={"fields": bad}) from exc
    if data.inbound == Inbound.IMAP and not (data.imap_host and data.imap_user):
        raise BadAccount("การดึงอีเมลทาง IMAP ต้องระบุเครื่องแม่ข่ายและชื่อผู้ใช้",
                         "IMAP polling needs a server and a user name")
    return data


@action("mail.save_account")
def save_account(actor: Actor, agency: Agency, fields: dict[str, Any], *, imap_password: str | None = None,
                 smtp_password: str | None = None) -> MailAccount:
    """Create or change an agency's mailbox settings.  A password of ``None`` keeps the stored one."""
    policy.require_admin(actor, agency)
    data = _parse(fields)
    taken = MailAccount.objects.filter(address__iexact=data.address).exclude(agency=agency).first()
    if taken is not None:
        raise BadAccount(f"ที่อยู่นี้เป็นของ {taken.agency.name_th} แล้ว", "Another agency already uses this address",
                         code="mail_address_taken")
    account, created = MailAccount.objects.get_or_create(agency=agency, defaults={"address": str(data.address)})
    values = data.model_dump(exclude={"max_mb"})
    values["address"] = str(data.address).lower()
    values["max_bytes"] = int(data.max_mb * 1024 * 1024)
    for k, v in values.items():
        setattr(account, k, v)
    owner = str(account.pk)
    if imap_password is not None:
        account.imap_secret = credentials.seal(imap_password, owner + ":imap")
    if smtp_password is not None:
        account.smtp_secret = credentials.seal(smtp_password, owner + ":smtp")
    account.save()
    senders.forget()
    audit.record("mail.save_account", actor=actor, obj=account, data={
        **{k: v for k, v in values.items()}, "created": created,
        "imap_password_changed": imap_password is not None, "smtp_password_changed": smtp_password is not None,
    })
    return account
