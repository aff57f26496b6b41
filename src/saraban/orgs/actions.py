"""Actions on people and accounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from saraban.audit import log as audit
from saraban.kernel.actions import action

from .errors import DelegationInvalid, NotAgencyAdmin
from .models import Delegation, Person, Position
from .policy import can_manage


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


@action("orgs.record_delegation")
def record_delegation(actor: Any, *, principal: Position, delegate: Person, order_ref: str, scope: str,
                      start: dt.date, end: dt.date | None = None, kinds: Sequence[str] = ()) -> Delegation:
    """Record a delegating order: ``delegate`` may sign ปฏิบัติราชการแทน ``principal`` within ``scope`` and
    the period (administrators of the principal's agency)."""
    agency = principal.unit.agency
    if not can_manage(actor, agency):
        raise NotAgencyAdmin(details={"agency": agency.code})
    order_ref, scope = order_ref.strip(), scope.strip()
    if not order_ref or not scope:
        raise DelegationInvalid("ต้องระบุเลขที่คำสั่งมอบอำนาจและขอบเขตการมอบอำนาจ",
                                "The delegating order's reference and scope are required",
                                code="delegation_incomplete")
    if end is not None and end < start:
        raise DelegationInvalid("วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น", "The end date is before the start date",
                                code="delegation_dates")
    unknown = [k for k in kinds if k not in _LETTER_KINDS]
    if unknown:
        raise DelegationInvalid("ชนิดหนังสือไม่ถูกต้อง", "Unknown letter kinds", code="delegation_kinds",
                                details={"kinds": unknown})
    delegation = Delegation.objects.create(principal=principal, delegate=delegate, order_ref=order_ref[:255],
                                           scope=scope, kinds=",".join(kinds), start=start, end=end)
    audit.record("orgs.record_delegation", actor=actor, obj=delegation, data={
        "principal": principal.code, "delegate": str(delegate.pk), "order_ref": order_ref, "kinds": list(kinds),
        "start": start.isoformat(), "end": end.isoformat() if end else None})
    return delegation


@action("orgs.revoke_delegation")
def revoke_delegation(actor: Any, delegation: Delegation, *, on: dt.date) -> Delegation:
    """End a delegating order early (a later order revokes it from ``on``)."""
    agency = delegation.principal.unit.agency
    if not can_manage(actor, agency):
        raise NotAgencyAdmin(details={"agency": agency.code})
    delegation.revoked = on
    delegation.save(update_fields=["revoked"])
    audit.record("orgs.revoke_delegation", actor=actor, obj=delegation, data={"on": on.isoformat()})
    return delegation


# the kinds of :class:`saraban.letterpress.content.Kind` (orgs knows no letters: their names only)
_LETTER_KINDS = frozenset({"external", "memo", "stamped", "order", "regulation", "rule", "announcement", "statement",
                           "news", "certificate", "minutes", "memo_record", "other"})
