"""The title under a signature: the signer's position on the signing date, and in what capacity.

* In their own right: the position they hold that day.
* Acting (รักษาราชการแทน): only while the acting order is in force on the signing date.  Someone
  who once acted as ปลัดกระทรวง signs later letters under their own position.
* Under delegated authority (ปฏิบัติราชการแทน): the delegating order names the principal position,
  the delegate, its scope (the kinds of letter) and its period; it must be in force on the signing
  date and cover the letter's kind.

The block is formed as the regulation's examples show: the signer's own position followed by the
capacity word, and the principal position on the next line::

    (นายสมชาย ใจดี)
    รองปลัดกระทรวง… ปฏิบัติราชการแทน
    ปลัดกระทรวง…
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.db.models import Q, QuerySet

from .errors import DelegationInvalid, DelegationNotInForce, DelegationNotYours, DelegationOutOfScope
from .models import Delegation, Person, PositionHolding

ACTING = "รักษาราชการแทน"
DELEGATED = "ปฏิบัติราชการแทน"
Capacity = Literal["auto", "own", "delegated"]
CAPACITIES: dict[str, tuple[str, str]] = {
    "auto": ("ตามตำแหน่งในวันที่ลงนาม (รักษาราชการแทนเมื่อคำสั่งยังมีผล)",
             "Position on the signing date (acting while the order is in force)"),
    "own": ("ในตำแหน่งของตนเอง", "In their own position"),
    "delegated": ("ปฏิบัติราชการแทน ตามคำสั่งมอบอำนาจ", "Under delegated authority (a delegating order)"),
}


@dataclass(frozen=True)
class SignatureTitle:
    lines: tuple[str, ...]
    capacity: Literal["own", "acting", "delegated"]
    order_ref: str = ""
    """The acting or delegating order the title rests on."""


def _in_force(qs: QuerySet[PositionHolding], day: dt.date) -> QuerySet[PositionHolding]:
    return qs.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))


def own_position(person: Person, day: dt.date) -> str:
    """The position ``person`` holds on ``day`` (a head position first, then the latest), or ``""``."""
    holding = (_in_force(PositionHolding.objects.filter(person=person, kind=PositionHolding.Kind.HOLDER), day)
               .select_related("position").order_by("-position__is_head", "-start").first())
    return holding.position.title_th if holding else ""


def acting_on(person: Person, day: dt.date) -> PositionHolding | None:
    """The acting appointment of ``person`` in force on ``day``, if any."""
    return (_in_force(PositionHolding.objects.filter(person=person, kind=PositionHolding.Kind.ACTING), day)
            .select_related("position").order_by("-start").first())


def check_delegation(person: Person, delegation: Delegation | None, day: dt.date, kind: str = "") -> Delegation:
    """``delegation`` if ``person`` may sign under it on ``day`` for a letter of ``kind``; else a coded error."""
    if delegation is None:
        raise DelegationInvalid("ต้องระบุคำสั่งมอบอำนาจ", "Name the delegating order", code="delegation_required")
    details = {"order": delegation.order_ref, "day": day.isoformat()}
    if delegation.delegate_id != person.pk:
        raise DelegationNotYours(details=details)
    if not delegation.in_force(day):
        raise DelegationNotInForce(details=details)
    if kind and not delegation.covers(kind):
        raise DelegationOutOfScope(details={**details, "kind": kind, "kinds": delegation.kind_list})
    return delegation


def _with_word(own: str, word: str) -> str:
    return f"{own} {word}".strip()


def signature_title(person: Person, day: dt.date, *, capacity: Capacity = "auto",
                    delegation: Delegation | None = None, kind: str = "") -> SignatureTitle:
    """The position lines under ``person``'s signature on ``day`` (see the module docstring)."""
    own = own_position(person, day)
    if capacity == "delegated":
        order = check_delegation(person, delegation, day, kind)
        return SignatureTitle((_with_word(own, DELEGATED), order.principal.title_th), "delegated", order.order_ref)
    if capacity == "auto":
        acting = acting_on(person, day)
        if acting is not None:
            return SignatureTitle((_with_word(own, ACTING), acting.position.title_th), "acting", acting.order_ref)
    return SignatureTitle((own,) if own else (), "own")


def delegations_for(person: Person, day: dt.date, kind: str = "") -> list[Delegation]:
    """The delegating orders ``person`` may sign under on ``day`` (for a letter of ``kind``)."""
    found = Delegation.objects.filter(delegate=person, start__lte=day).select_related("principal")
    return [d for d in found if d.in_force(day) and (not kind or d.covers(kind))]
