"""Bulk actions (register or distribute several items at once) with a summary of what succeeded and what did not.

Each item is its own action: its own transaction and audit event, so one failure rolls back nothing of the
others.  A double submit (the same form token) gives each item the answer of its first run instead of running it
again.  The summary travels to the next page in the session and is shown once, above the list it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from saraban.kernel.errors import SarabanError
from saraban.transport import once

SESSION_KEY = "saraban.bulk"
Job = tuple[str, str, Callable[[], tuple[str, str, str]]]
"""(an id for the item, how the summary names it, the action: returns (Thai, English, URL) of what was done)."""


def run(request: HttpRequest, what: tuple[str, str], jobs: Sequence[Job], back: str) -> HttpResponse:
    token = request.POST.get("once", "")
    results: list[dict[str, Any]] = []
    for item_id, label, fn in jobs:
        def act(fn: Callable[[], tuple[str, str, str]] = fn) -> tuple[int, Any]:
            th, en, url = fn()
            return 200, {"th": th, "en": en, "url": url}

        try:
            _, body = once.run(request, {"item": item_id, "what": what[1]}, act,
                               key=f"bulk:{token}:{item_id}" if token else "")
            results.append({"label": label, "ok": True, **body})
        except SarabanError as exc:
            results.append({"label": label, "ok": False, "th": exc.message_th, "en": exc.message_en, "url": ""})
    request.session[SESSION_KEY] = {"what": list(what), "results": results}
    return redirect(back)


def take_summary(request: HttpRequest) -> dict[str, Any] | None:
    """The last bulk action's summary, once (the page that shows it removes it)."""
    summary = request.session.pop(SESSION_KEY, None)
    if not summary:
        return None
    done = sum(1 for r in summary["results"] if r["ok"])
    return {**summary, "done": done, "failed": len(summary["results"]) - done}
