"""Who sent it: the sender's address matched to an agency from the SBX directory and the organisation data,
and which of our agencies a recipient address belongs to."""

from __future__ import annotations

import time
from dataclasses import dataclass
from threading import Lock

from saraban.exchange.models import Participant
from saraban.orgs.models import Agency, Unit

from .parse import envelope_domain


@dataclass(frozen=True)
class Match:
    code: str  # agency or participant code ("" when unknown)
    name: str  # what goes into จาก
    how: str  # "address", "domain" or "" (unknown)


@dataclass(frozen=True)
class _Book:
    by_address: dict[str, tuple[str, str]]
    by_domain: dict[str, tuple[str, str] | None]  # None: more than one organisation uses the domain
    ours: dict[str, str]  # central address -> hosted agency code


_cache: tuple[float, _Book] | None = None
_lock = Lock()
TTL = 10.0


def forget() -> None:
    global _cache
    with _lock:
        _cache = None


def _build() -> _Book:
    by_address: dict[str, tuple[str, str]] = {}
    by_domain: dict[str, tuple[str, str] | None] = {}
    ours: dict[str, str] = {}

    def add(address: str, code: str, name: str) -> None:
        address = (address or "").strip().lower()
        if "@" not in address:
            return
        by_address.setdefault(address, (code, name))
        d = envelope_domain(address)
        if d in by_domain and by_domain[d] is not None and by_domain[d][0] != code:  # type: ignore[index]
            by_domain[d] = None
        else:
            by_domain.setdefault(d, (code, name))

    for a in Agency.objects.all().only("code", "name_th", "central_email", "hosted"):
        add(a.central_email, a.code, a.name_th)
        if a.hosted and a.central_email:
            ours.setdefault(a.central_email.lower(), a.code)
    for u in Unit.objects.exclude(email="").select_related("agency").only("email", "agency__code", "agency__name_th"):
        add(u.email, u.agency.code, u.agency.name_th)
    for p in Participant.objects.exclude(email="").only("code", "name_th", "email"):
        add(p.email, p.code, p.name_th)
    from .models import MailAccount

    for acc in MailAccount.objects.filter(enabled=True).select_related("agency"):
        ours[acc.address.lower()] = acc.agency.code
    return _Book(by_address, by_domain, ours)


def _book() -> _Book:
    global _cache
    now = time.monotonic()
    with _lock:
        if _cache is not None and _cache[0] > now:
            return _cache[1]
    book = _build()
    with _lock:
        _cache = (now + TTL, book)
    return book


def match(address: str, display_name: str = "") -> Match:
    """The organisation behind a sender address: by the exact address, else by its domain, else unknown."""
    address = (address or "").lower()
    book = _book()
    hit = book.by_address.get(address)
    if hit:
        return Match(hit[0], hit[1], "address")
    d = envelope_domain(address)
    hit_d = book.by_domain.get(d)
    if hit_d:
        return Match(hit_d[0], hit_d[1], "domain")
    return Match("", (display_name or address)[:500], "")


def known_domains() -> set[str]:
    return {d for d in _book().by_domain if d}


def agency_for_recipient(address: str) -> str | None:
    """The hosted agency whose central address this is (``None``: not ours)."""
    return _book().ours.get((address or "").strip().lower())


def our_addresses() -> dict[str, str]:
    return dict(_book().ours)
