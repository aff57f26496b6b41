"""Which agencies this deployment serves, and where their incoming letters are registered."""

from __future__ import annotations

import time

from saraban.orgs.models import Agency, Unit

from . import node as node_mod
from .models import Participant

_known: dict[str, tuple[float, bool]] = {}


def served_here(code: str) -> bool:
    """An agency of this deployment with its seal configured: SBX messages to it are accepted here."""
    if not node_mod.configured() or code not in node_mod.load().agencies:
        return False
    now = time.monotonic()
    hit = _known.get(code)
    if hit is None or hit[0] < now:
        hit = (now + 30.0, Agency.objects.filter(code=code).exists())
        _known[code] = hit
    return hit[1]


def mailbox_here(p: Participant) -> bool:
    """A participant that pulls its messages from a mailbox this deployment keeps for it (``via``)."""
    if not p.via or not node_mod.configured():
        return False
    host = Participant.objects.filter(org=p.via).first()
    return host is not None and served_here(host.code)


def central_unit(agency: Agency) -> Unit:
    """The unit that registers an agency's incoming letters: the top-most unit that keeps a register."""
    units = list(Unit.objects.filter(agency=agency).order_by("path"))
    for u in units:
        if u.keeps_register:
            return u
    if not units:
        raise LookupError(f"agency {agency.code} has no unit")
    return units[0]
