"""The letter page: its registry facts, files (original and derived), preview and history."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from saraban.audit.labels import codes_in, detail
from saraban.audit.models import AuditEvent
from saraban.kernel import clock
from saraban.kernel.actor import signed_in
from saraban.kernel.errors import NotFound
from saraban.letterpress.raster import clamp_width
from saraban.letterpress.raster import page_png as render_page
from saraban.letters import queries
from saraban.letters.reads import record_read
from saraban.orgs.models import Agency, Person, Unit
from saraban.registry.models import RegisterEntry
from saraban.routing.models import Endorsement
from saraban.storage import blobs
from saraban.transport.http import blob_response
from saraban.transport.limits import limited
from saraban.web.letters.pages import page_numbers
from saraban.web.panels import panels_for
from saraban.web.render import render


@login_required
def letter(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    try:
        obj = queries.letter_for(request.user, letter_id)
    except NotFound as exc:
        raise Http404 from exc
    record_read(signed_in(request), obj, via="web.letter", role="metadata")
    entries = list(RegisterEntry.objects.select_related("book__unit").filter(letter=obj).order_by("registered_at"))
    files = list(obj.files.select_related("blob").order_by("created_at"))
    parts = queries.parts(obj)
    view = queries.best_view_file(obj)
    if view is not None and view.blob.damage == blobs.DESTROYED:
        view = None  # destroyed under a destruction list: the page shows the tombstone, no pages
    ids = [str(obj.pk), *(str(e.pk) for e in entries), *(str(f.pk) for f in files)]
    history = list(AuditEvent.objects.filter(object_id__in=ids).order_by("seq"))
    actor_ids = {e.actor_id for e in history if e.actor_id}
    people = {p.user_id: p.full_name_th for p in Person.objects.filter(user_id__in=actor_ids)}
    codes = set().union(*(codes_in(e.data) for e in history)) if history else set()
    names = {u.code: u.short_name_th or u.name_th for u in Unit.objects.filter(code__in=codes)}
    names |= {a.code: a.name_th for a in Agency.objects.filter(code__in=codes - set(names))}
    for ev in history:
        ev.who = people.get(ev.actor_id, "ระบบ" if ev.actor_name == "system" else names.get(ev.actor_name,
                                                                                            ev.actor_name))
        ev.detail = detail(ev.action, ev.data, names, getattr(request, "LANGUAGE_CODE", "th"))
    return render(request, "letters/letter.html", {
        "letter": obj, "entries": entries, "files": files, "parts": parts, "view": view,
        "copies": [f for f in files if f.role not in ("letter", "enclosure")], "pages": page_numbers(view),
        "history": history, "panels": panels_for(request, obj), "pending": pending_work(obj, entries, files),
    })


PENDING_FOR = dt.timedelta(minutes=10)  # past this, the page stops waiting (the administrator's health page says why)


def pending_work(letter: Any, entries: list[RegisterEntry], files: list[Any]) -> list[str]:
    """Background work the letter page waits for: the receipt stamp of a letter just registered, the copy with
    the endorsements just written.  The page's preview polls until none is left."""
    now = clock.now()
    out = []
    received = [e for e in entries if e.book.kind in ("received", "secret_received") and not e.cancelled
                and now - e.registered_at < PENDING_FOR]
    originals = [f for f in files if f.role == "letter" and f.blob.content_type == "application/pdf"]
    if received and originals and not any(f.role == "presentation" for f in files):
        out.append("stamp")
    last = Endorsement.objects.filter(letter=letter).order_by("-created_at").values_list("created_at", flat=True)[:1]
    annexes = [f.created_at for f in files if f.role == "annex"]
    if originals and last and now - last[0] < PENDING_FOR and (not annexes or max(annexes) < last[0]):
        out.append("annex")
    return out


@login_required
def preview(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    """HTMX: the letter page's preview, polled while background work for it runs (it stops once none is left)."""
    try:
        obj = queries.letter_for(request.user, letter_id)
    except NotFound as exc:
        raise Http404 from exc
    record_read(signed_in(request), obj, via="web.letter_preview", role="metadata")
    entries = list(RegisterEntry.objects.select_related("book").filter(letter=obj))
    files = list(obj.files.select_related("blob").order_by("created_at"))
    view = queries.best_view_file(obj)
    if view is not None and view.blob.damage == blobs.DESTROYED:
        view = None
    return render(request, "letters/_preview.html", {"letter": obj, "view": view, "pages": page_numbers(view),
                                                     "pending": pending_work(obj, entries, files)})


@login_required
def file_download(request: HttpRequest, letter_id: uuid.UUID, file_id: uuid.UUID) -> HttpResponseBase:
    try:
        f = queries.file_for(request.user, letter_id, file_id)
    except NotFound as exc:
        raise Http404 from exc
    record_read(signed_in(request), f.letter, f, via="web.download")
    return blob_response(f.blob, f.name, inline=request.GET.get("download") != "1")


@login_required
@limited("preview")
def page_png(request: HttpRequest, letter_id: uuid.UUID, file_id: uuid.UUID, page: int) -> HttpResponse:
    try:
        f = queries.file_for(request.user, letter_id, file_id)
    except NotFound as exc:
        raise Http404 from exc
    record_read(signed_in(request), f.letter, f, via="web.page")
    try:
        png = render_page(blobs.read(f.blob), page, width=clamp_width(request.GET.get("w")))
    except (IndexError, ValueError) as exc:
        raise Http404 from exc
    resp = HttpResponse(png, content_type="image/png")
    resp["Cache-Control"] = "private, max-age=600"
    return resp
