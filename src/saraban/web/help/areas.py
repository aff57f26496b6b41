"""Which part of the user guide each page belongs to (the header's "คู่มือ" link)."""

from __future__ import annotations

# (path prefix, guide page): the longest matching prefix wins
AREAS: list[tuple[str, str]] = [
    ("/intake/", "desk"), ("/outgoing/", "desk"), ("/registers/", "desk"), ("/mail/", "desk"),
    ("/inbox/", "routing"), ("/routing/", "routing"),
    ("/drafts/", "drafting"), ("/verify/", "drafting"),
    ("/exchange/", "exchange"),
    ("/search/", "search"),
    ("/settings/", "admin"), ("/account/", "admin"), ("/ops/", "admin"),
    ("/letters/", "routing"),
    ("/desk/", "roles"), ("/decide/", "roles"), ("/manage/", "roles"),
    ("/records/", "records"),
]
PAGES = ["index", "roles", "desk", "routing", "drafting", "exchange", "search", "records", "admin"]
TITLES_EN = {"index": "User guide", "desk": "The registrar's desk and registration",
             "routing": "Routing and endorsement", "drafting": "Drafting and signing",
             "exchange": "Sending between agencies", "search": "Searching", "admin": "Running the system",
             "roles": "Landing pages, counts and bulk actions", "records": "Keeping, lending and destroying letters"}


def area_for(path: str) -> str:
    best = max((p for p in AREAS if path.startswith(p[0])), key=lambda p: len(p[0]), default=None)
    if best:
        return best[1]
    return "desk" if path == "/" else "index"


def help_url(path: str) -> str:
    if path.startswith("/help/"):
        return "/help/"
    area = area_for(path)
    return "/help/" if area == "index" else f"/help/{area}/"
