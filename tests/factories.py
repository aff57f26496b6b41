"""Small organisations for tests that need a few people, not the whole demo ministry.

Everything is made through the real organisation loader (:func:`saraban.orgs.actions.load_directory`), so a
factory-made agency behaves exactly as a loaded one.  Typical use::

    tst = factories.agency()                                  # กรมทดสอบ with its central unit tst-central
    registrar = factories.person("reg", roles=[("registrar", "tst-central")])
    factories.unit("tst-div", unit_number="0102")             # a division that issues numbers too
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User

from saraban.orgs.actions import load_directory
from saraban.orgs.models import Agency, Unit

PASSWORD = "factory-password"


def agency(code: str = "tst", *, name_th: str = "กรมทดสอบระบบ", letter_code: str = "ทส",
           central_unit: str = "", unit_number: str = "0101") -> Agency:
    """An agency and its central unit (``<code>-central``: keeps the register, issues numbers)."""
    central = central_unit or f"{code}-central"
    load_directory({
        "agency": [{"code": code, "name_th": name_th, "name_en": f"Test agency {code}", "letter_code": letter_code}],
        "unit": [{"code": central, "agency": code, "name_th": f"งานสารบรรณกลาง {name_th}", "unit_number": unit_number,
                  "issues_numbers": True}],
    })
    return Agency.objects.get(code=code)


def unit(code: str, *, agency_code: str = "tst", parent: str | None = "", name_th: str = "", unit_number: str = "",
         issues_numbers: bool = True) -> Unit:
    """A unit under ``parent`` (default: the agency's central unit; ``None``: beside it, at the top)."""
    if parent == "":
        parent = f"{agency_code}-central"
    load_directory({"unit": [{"code": code, "agency": agency_code, "parent": parent,
                              "name_th": name_th or f"หน่วยทดสอบ {code}", "unit_number": unit_number,
                              "issues_numbers": issues_numbers}]})
    return Unit.objects.get(code=code)


def person(username: str, *, unit_code: str = "tst-central", roles: Iterable[tuple[str, str]] = (),
           clearance: int = 0, first_name_th: str = "", last_name_th: str = "ทดสอบ", email: str = "",
           **extra: Any) -> User:
    """A signed-in user with a person record in ``unit_code``, holding ``roles`` as ``(role, unit code)``."""
    load_directory({"demo_password": PASSWORD, "person": [{
        "username": username, "prefix_th": "นาย", "first_name_th": first_name_th or f"ผู้ทดสอบ{username}",
        "last_name_th": last_name_th, "unit": unit_code, "clearance": clearance, "email": email,
        "roles": [{"role": r, "unit": u} for r, u in roles], "identity_verified": True, **extra,
    }]})
    return User.objects.get(username=username)
