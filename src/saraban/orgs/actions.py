"""Actions on people and accounts, and loading the organisation from a data file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor

from . import cache, emblems
from .directory import file_day
from .errors import DelegationInvalid, NotAgencyAdmin
from .models import Agency, Delegation, Person, Position, PositionHolding, RoleGrant, Unit
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


@action("orgs.load_directory")
def load_directory(data: dict[str, Any], *, demo: bool = False, actor: Actor = None,
                   passwords: bool = True) -> dict[str, int]:
    """Load an organisation read by :func:`saraban.orgs.directory.read` (idempotent: matched on codes and
    usernames); returns how many agencies, units, positions and people it holds."""
    counts = {"agencies": 0, "units": 0, "positions": 0, "people": 0}
    agencies: dict[str, Agency] = {}
    for a in data.get("agency", []):
        fields = {k: a[k] for k in ("name_th", "name_en", "short_name_th", "stamp_name", "letter_code", "address_th",
                                    "central_email", "digit_style", "sort_order") if k in a}
        fields["parent"] = agencies.get(a["parent"]) if a.get("parent") else None
        agencies[a["code"]], _ = Agency.objects.update_or_create(code=a["code"], defaults=fields)
        if demo:  # demo agencies print the placeholder that says it is one (ตราครุฑ ตัวอย่าง)
            emblems.mark_demo(agencies[a["code"]])
        counts["agencies"] += 1
    units: dict[str, Unit] = {u.code: u for u in Unit.objects.all()}
    for u in data.get("unit", []):
        fields = {k: u[k] for k in ("name_th", "name_en", "short_name_th", "letter_code", "unit_number",
                                    "issues_numbers", "keeps_register", "phone", "email", "sort_order") if k in u}
        fields["agency"] = agencies.get(u["agency"]) or Agency.objects.get(code=u["agency"])
        fields["parent"] = units[u["parent"]] if u.get("parent") else None
        fields["unit_number_is_demo"] = demo and bool(u.get("unit_number"))
        obj = Unit.objects.filter(code=u["code"]).first() or Unit(code=u["code"])
        for k, v in fields.items():
            setattr(obj, k, v)
        obj.save()
        units[u["code"]] = obj
        counts["units"] += 1
    positions: dict[str, Position] = {}
    for p in data.get("position", []):
        positions[p["code"]], _ = Position.objects.update_or_create(code=p["code"], defaults={
            "unit": units[p["unit"]], "title_th": p["title_th"], "title_en": p.get("title_en", ""),
            "is_head": p.get("is_head", False)})
        counts["positions"] += 1
    User = get_user_model()
    start = clock.today() - dt.timedelta(days=365)
    demo_hash = ""  # the demo password is printed on screen: hashed once (PBKDF2 ≈ 0.4 s), not once per person
    for person in data.get("person", []):
        user = None
        if person.get("username"):
            user, created = User.objects.get_or_create(username=person["username"])
            user.is_superuser = user.is_staff = bool(person.get("superuser"))
            if passwords and (created or not user.has_usable_password()) and data.get("demo_password"):
                demo_hash = demo_hash or make_password(data["demo_password"])
                user.password = demo_hash
            user.save()
        defaults = {
            "prefix_th": person.get("prefix_th", ""), "first_name_th": person["first_name_th"],
            "last_name_th": person["last_name_th"], "name_en": person.get("name_en", ""),
            "home_unit": units[person["unit"]], "clearance": person.get("clearance", 0),
            "identity_verified": person.get("identity_verified", False), "email": person.get("email", ""),
        }
        if user is not None:
            obj, _ = Person.objects.update_or_create(user=user, defaults=defaults)
        else:
            obj, _ = Person.objects.update_or_create(first_name_th=defaults["first_name_th"],
                                                     last_name_th=defaults["last_name_th"], defaults=defaults)
        for code in person.get("positions", []):
            PositionHolding.objects.get_or_create(person=obj, position=positions[code], kind="holder",
                                                  defaults={"start": start})
        _acting_and_delegations(cast(Person, obj), person, positions)
        for grant in person.get("roles", []):
            RoleGrant.objects.get_or_create(person=obj, unit=units[grant["unit"]], role=grant["role"],
                                            defaults={"include_subunits": grant.get("subunits", True)})
        counts["people"] += 1
    cache.forget()
    audit.record("orgs.load_directory", actor=actor, object_type="orgs.directory", data={"demo": demo, **counts})
    return counts


def _acting_and_delegations(obj: Person, person: dict[str, Any], positions: dict[str, Position]) -> None:
    """A person's acting appointments and delegating orders from the data file."""
    def position(code: str) -> Position:
        return positions.get(code) or Position.objects.get(code=code)

    for acting in person.get("acting", []):
        # { position = "code", start = "2026-01-01" or offset days from today, end = …, order_ref = "…" }
        begin = file_day(acting.get("start", 0))
        finish = file_day(acting["end"]) if acting.get("end") is not None else None
        PositionHolding.objects.get_or_create(
            person=obj, position=position(acting["position"]), kind="acting", start=begin,
            defaults={"end": finish, "order_ref": acting.get("order_ref", "")})
    for order in person.get("delegations", []):
        # { principal = "code", order_ref = "…", scope = "…", kinds = ["external"], start = …, end = … }
        Delegation.objects.get_or_create(
            delegate=obj, order_ref=order["order_ref"], principal=position(order["principal"]),
            defaults={"scope": order.get("scope", ""), "kinds": ",".join(order.get("kinds", [])),
                      "start": file_day(order.get("start", 0)),
                      "end": file_day(order["end"]) if order.get("end") is not None else None})


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
