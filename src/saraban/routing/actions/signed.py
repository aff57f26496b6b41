"""Telling people a signed letter waits to be sent (connected to :data:`saraban.drafting.hooks.signed`).

The drafter, the typist and the signers may send it themselves; the registrars of the unit that numbered it
may too.  Each gets one notice that links to the letter page, where the send form waits.  A classified
letter's notice names its number only, never its subject.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q

from saraban.kernel.models import SECRECY_LEVEL, Secrecy
from saraban.letters.models import Letter
from saraban.orgs.models import Person, Role, RoleGrant, Unit

from ..notify.service import notify


def registrars_of(unit: Unit, secrecy: str) -> list[Person]:
    """The people who register in ``unit``'s books at ``secrecy`` (granted there, or above it for sub-units)."""
    ancestors = [p for p in unit.path.strip("/").split("/") if p]
    roles = [Role.REGISTRAR, Role.SECRET_REGISTRAR] if secrecy == Secrecy.NORMAL else [Role.SECRET_REGISTRAR]
    grants = RoleGrant.objects.filter(role__in=roles).filter(
        Q(unit=unit) | Q(include_subunits=True, unit__path__in=[
            "/" + "/".join(ancestors[:i]) + "/" for i in range(1, len(ancestors))]))
    level = SECRECY_LEVEL[Secrecy(secrecy)]
    return list(Person.objects.filter(pk__in=grants.values("person_id"), clearance__gte=level).order_by("pk"))


def on_signed(*, letter: Letter, senders: Sequence[Any], **_: Any) -> None:
    """A letter was signed: tell those who may send it that it waits."""
    people = list(Person.objects.filter(pk__in=list(senders)).order_by("pk")) + registrars_of(letter.unit,
                                                                                              letter.secrecy)
    what = letter.their_ref or "ฉบับใหม่"
    title = f"ลงนามแล้ว รอส่ง: ที่ {what}"
    if not letter.is_classified:
        title += f" เรื่อง {letter.subject}"
    notify(people, event="signed", letter=letter, title=title[:500],
           body="หนังสือลงนามแล้วแต่ยังไม่ได้ส่ง เปิดหนังสือเพื่อส่งทางระบบ / Signed, not yet sent",
           url=f"/letters/{letter.pk}/")
