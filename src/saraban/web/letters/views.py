"""The letter page: its registry facts, files (original and derived), preview and history."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from saraban.audit.labels import detail
from saraban.audit.models import AuditEvent
from saraban.kernel.actor import signed_in
from saraban.kernel.errors import NotFound
from saraban.letterpress.raster import clamp_width
from saraban.letterpress.raster import page_png as render_page
from saraban.letters import queries
from saraban.letters.reads import record_read
from saraban.orgs.models import Person, Unit
from saraban.registry.models import RegisterEntry
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
    ids = [str(obj.pk), *(str(e.pk) for e in entries), *(str(f.pk) for f in files)]
    history = list(AuditEvent.objects.filter(object_id__in=ids).order_by("seq"))
    actor_ids = {e.actor_id for e in history if e.actor_id}
    people = {p.user_id: p.full_name_th for p in Person.objects.filter(user_id__in=actor_ids)}
    codes = {str(e.data["unit"]) for e in history if isinstance(e.data, dict) and e.data.get("unit")}
    units = {u.code: u.short_name_th or u.name_th for u in Unit.objects.filter(code__in=codes)}
    for ev in history:
        ev.who = people.get(ev.actor_id, "ระบบ" if ev.actor_name == "system" else ev.actor_name)
        data = ev.data if isinstance(ev.data, dict) else {}
        if data.get("unit"):  # a unit's name, never its internal code (ops-central)
            data = {**data, "unit": units.get(str(data["unit"]), "")}
        ev.detail = detail(ev.action, data, getattr(request, "LANGUAGE_CODE", "th"))
    return render(request, "letters/letter.html", {
        "letter": obj, "entries": entries, "files": files, "parts": parts, "view": view,
        "copies": [f for f in files if f.role not in ("letter", "enclosure")], "pages": page_numbers(view),
        "history": history, "panels": panels_for(request, obj),
    })


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
