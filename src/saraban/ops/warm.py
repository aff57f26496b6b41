"""Warm the application once, before the web and task workers are forked from it.

Everything a first request would otherwise pay for is done here, in the process that forks the workers:
the URLconf and every view module (which import WeasyPrint and pyHanko), the middleware chain, the
templates of the login page, the font configuration, the first layout of a Thai letter and of a receipt
stamp, and the search index's Thai word dictionary.  The forked workers share these pages with the parent
(copy-on-write), so a worker's first request is as fast as its hundredth, and N workers cost far less
memory than N cold starts.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


def _django_app() -> Callable:
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    handler = WSGIHandler()  # loads the middleware chain
    from django.conf import settings

    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "localhost")
    request = RequestFactory(HTTP_HOST=host).get("/login/")
    handler.get_response(request)  # templates, context processors, translations
    return handler


def _typesetting() -> None:
    from saraban.letterpress.examples import external
    from saraban.letterpress.render import render_letter
    from saraban.registry.stamp import StampText, render_stamp

    render_letter(external())
    render_stamp(StampText(agency="สำนักงานปลัดกระทรวง", number="๑", date="๑ ม.ค. ๖๙", time="๐๙.๐๐ น."))


def _signing() -> None:
    import pyhanko.sign.signers
    import pyhanko.sign.validation  # noqa: F401
    import pyhanko_certvalidator  # noqa: F401


def _search_words() -> None:
    from saraban.search.analyse import words

    words("การประชุม")  # the word dictionary (0.6 s of CPU, 75 MB): built once here, shared by the workers
    # that index (the task worker; a web worker whose search writes rows behind), not once in each


def warm(*, render: bool = True) -> dict[str, float]:
    """Load and exercise the application; returns how long each step took (seconds).

    Database connections opened here are closed again: a forked child must never share its parent's.
    """
    from django.db import connections

    took: dict[str, float] = {}
    steps: list[tuple[str, Callable[[], object]]] = [("django", _django_app), ("signing", _signing)]
    if render:
        steps += [("typesetting", _typesetting), ("search words", _search_words)]
    try:
        for name, step in steps:
            start = time.perf_counter()
            try:
                step()
            except Exception:  # warming is an optimisation: a failure here must not stop the server
                log.exception("warm-up step %s failed", name)
            took[name] = round(time.perf_counter() - start, 3)
    finally:
        connections.close_all()
    gc.collect()
    gc.freeze()  # keep the warmed objects out of later collections, so children do not copy their pages
    return took
