"""Actions on people and accounts, and loading the organisation from a data file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from saraban.audit import log as audit
from saraban.kernel import clock
from saraban.kernel.actions import action
from saraban.kernel.actor import Actor

from . import cache
from .directory import file_day
from .models import Agency, Person, Position, PositionHolding, RoleGrant, Unit


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
    for person in data.get("person", []):
        user = None
        if person.get("username"):
            user, created = User.objects.get_or_create(username=person["username"])
            user.is_superuser = user.is_staff = bool(person.get("superuser"))
            if passwords and (created or not user.has_usable_password()) and data.get("demo_password"):
                user.set_password(data["demo_password"])
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
        for acting in person.get("acting", []):
            # { position = "code", start = "2026-01-01" or offset days from today, end = …, order_ref = "…" }
            begin = file_day(acting.get("start", 0))
            finish = file_day(acting["end"]) if acting.get("end") is not None else None
            PositionHolding.objects.get_or_create(
                person=obj, position=positions.get(acting["position"]) or Position.objects.get(code=acting["position"]),
                kind="acting", start=begin, defaults={"end": finish, "order_ref": acting.get("order_ref", "")})
        for grant in person.get("roles", []):
            RoleGrant.objects.get_or_create(person=obj, unit=units[grant["unit"]], role=grant["role"],
                                            defaults={"include_subunits": grant.get("subunits", True)})
        counts["people"] += 1
    cache.forget()
    audit.record("orgs.load_directory", actor=actor, object_type="orgs.directory", data={"demo": demo, **counts})
    return counts
