"""The emblem settings page: upload the agency's Garuda and its own seal, set their sizes, see a sample.

Only administrators of the agency (or of an agency above it) see and change it; every change is an
action in :mod:`saraban.orgs.emblems` (checked upload, one audit event).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from saraban.drafting import build
from saraban.letterpress.emblem import MAX_PNG_BYTES, MAX_SVG_BYTES, EmblemImage, placeholder, validate
from saraban.letterpress.examples import external
from saraban.letterpress.raster import page_png
from saraban.letterpress.render import RenderSettings, render_letter
from saraban.orgs import emblems as org_emblems
from saraban.orgs import policy
from saraban.orgs.models import Agency, EmblemSettings
from saraban.transport import once

from ..render import render

MAX_UPLOAD = max(MAX_PNG_BYTES, MAX_SVG_BYTES) + 1024


def _agency(request: HttpRequest, code: str) -> Agency:
    agency = Agency.objects.select_related("parent").filter(code=code).first()
    if agency is None or not policy.can_manage(request.user, agency):
        raise Http404
    return agency


@login_required
def emblems(request: HttpRequest) -> HttpResponse:
    agencies = policy.manageable_agencies(request.user)
    if not agencies:
        raise Http404
    chosen = next((a for a in agencies if a.code == request.GET.get("agency")), agencies[0])
    found = org_emblems.emblems_for(chosen)
    row = EmblemSettings.objects.filter(agency=chosen).first()
    return render(request, "web/agency/emblems.html", {
        "agencies": agencies, "agency": chosen, "row": row, "found": found, "token": once.new_token(request),
        "garuda_uri": _uri(found.garuda),
        "own_seal_uri": _uri(found.seal) if row is not None and row.seal else "",
        "placeholder_uri": placeholder().uri(),
        "max_svg_kb": MAX_SVG_BYTES // 1024, "max_png_kb": MAX_PNG_BYTES // 1024,
    })


def _uri(image: Any) -> str:
    return EmblemImage(image.data, image.media_type).uri() if image is not None else ""


def _back(code: str) -> str:
    return f"/settings/emblems/?agency={code}"


def _run(request: HttpRequest, code: str, parts: dict[str, Any], change: Callable[[], object],
         done: tuple[str, str]) -> HttpResponse:
    """Make the change once per form token; say what happened (or the coded error) on the page."""
    def do() -> str:
        change()
        return _back(code)

    return once.form(request, {"agency": code, **parts}, do, back=_back(code), ok=done)


@login_required
@require_POST
def upload(request: HttpRequest, code: str) -> HttpResponse:
    agency = _agency(request, code)
    which = cast(org_emblems.Which, request.POST.get("which", ""))
    file = request.FILES.get("file")
    if which not in ("garuda", "seal") or file is None:
        messages.error(request, "โปรดเลือกไฟล์ตรา (SVG หรือ PNG)|Choose an emblem file (SVG or PNG)")
        return redirect(_back(code))
    data = file.read(MAX_UPLOAD)
    return _run(request, code, {"which": which, "size": len(data), "name": file.name},
                lambda: org_emblems.set_emblem(request.user, agency, which=which,
                                               image=validate(data, file.name or ""), filename=file.name or ""),
                ("บันทึกไฟล์ตราแล้ว", "Emblem saved"))


@login_required
@require_POST
def clear(request: HttpRequest, code: str) -> HttpResponse:
    agency = _agency(request, code)
    which = cast(org_emblems.Which, request.POST.get("which", ""))
    if which not in ("garuda", "seal"):
        raise Http404
    return _run(request, code, {"which": which, "clear": True},
                lambda: org_emblems.clear_emblem(request.user, agency, which=which),
                ("ลบไฟล์ตราแล้ว", "Emblem removed"))


def _mm(request: HttpRequest, name: str, default: int) -> int:
    try:
        return round(float(request.POST.get(name, default)))
    except ValueError:
        return -1  # refused by the action with its coded error


@login_required
@require_POST
def layout(request: HttpRequest, code: str) -> HttpResponse:
    agency = _agency(request, code)
    sizes = {"garuda_mm": _mm(request, "garuda_mm", 30), "memo_mm": _mm(request, "memo_mm", 15),
             "top_mm": _mm(request, "top_mm", 15)}
    return _run(request, code, sizes, lambda: org_emblems.set_emblem_layout(request.user, agency, **sizes),
                ("บันทึกขนาดและตำแหน่งแล้ว", "Sizes saved"))


@login_required
def sample(request: HttpRequest, code: str) -> HttpResponse:
    """The top of a sample external letter as this agency prints it (placeholder if no Garuda)."""
    agency = _agency(request, code)
    chosen = build.agency_emblem(agency)
    rendered = render_letter(external(), RenderSettings(emblem=chosen.garuda, emblem_layout=chosen.layout,
                                                        digits="thai" if agency.digit_style == "thai" else "arabic"))
    return HttpResponse(page_png(rendered.pdf, 1, width=620), content_type="image/png")
