"""The registrar's desk: the queue (most urgent first), uploading, registering, issuing numbers."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from saraban.access.principal import principal_for
from saraban.intake import actions as intake
from saraban.intake import policy
from saraban.intake.models import IntakeFile, IntakeItem
from saraban.intake.reasons import RETURN_REASONS
from saraban.kernel import clock
from saraban.kernel.errors import SarabanError
from saraban.kernel.validation import parse
from saraban.letterpress.raster import page_count, page_png
from saraban.orgs.models import Role, Unit
from saraban.registry import actions as registry
from saraban.registry.validation import IntakeMetadata, OutgoingMetadata, PlaceholderMetadata
from saraban.storage import blobs
from saraban.transport import once
from saraban.web import forms


def _item(request: HttpRequest, item_id: uuid.UUID) -> IntakeItem:
    item = IntakeItem.objects.select_related("unit").filter(pk=item_id).first()
    if item is None or not policy.can_view_intake(principal_for(request.user), item.unit_id, item.secrecy):
        raise Http404
    return item


def _units(request: HttpRequest, *roles: str) -> list[Unit]:
    ids = principal_for(request.user).units(*roles)
    return list(Unit.objects.filter(pk__in=ids).select_related("agency").order_by("path"))


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    items = list(intake.pending_q(request.user).select_related("unit")[:200])
    selected = request.GET.get("item")
    return render(request, "desk/desk.html", {
        "items": items, "selected": selected, "units": _units(request, Role.REGISTRAR, Role.SECRET_REGISTRAR),
        "secret_registrar": bool(principal_for(request.user).units(Role.SECRET_REGISTRAR)),
        "token": once.new_token(request), "today": clock.today(),
    })


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    files = request.FILES.getlist("file")
    if not files:
        messages.error(request, "กรุณาเลือกไฟล์ PDF|Choose a PDF file")
        return redirect("desk")
    base = forms.pick(request.POST, ("unit", "urgency", "secrecy", "subject"))
    added = 0
    for f in files:
        try:
            meta = parse(IntakeMetadata, {**base, "subject": base.get("subject") or f.name.rsplit(".", 1)[0]})
            intake.submit(request.user, meta, registry.Upload(f.read(), f.name or "letter.pdf"))
            added += 1
        except SarabanError as exc:  # one bad file does not stop the others
            once.error(request, exc, prefix=f"{f.name}: ")
    if added:
        messages.success(request, f"รับเข้าคิว {added} รายการ|{added} item(s) added to the queue")
    return redirect("desk")


@login_required
def intake_form(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    item = _item(request, item_id)
    template = "desk/_register_form.html" if request.headers.get("HX-Request") else "desk/register_page.html"
    return render(request, template, _form_context(request, item, item.metadata))


def _form_context(request: HttpRequest, item: IntakeItem, meta: dict, **extra: object) -> dict:
    main, enclosures = intake.parts(item)
    pages = page_count(blobs.read(main.blob)) if main else 0
    return {
        "item": item, "main": main, "enclosures": enclosures, "pages": range(1, pages + 1), "meta": meta,
        "units": _units(request, Role.REGISTRAR, Role.SECRET_REGISTRAR), "token": once.new_token(request),
        "today": clock.today(), "return_reasons": RETURN_REASONS.items(), **extra,
    }


@login_required
@require_POST
def intake_register(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    item = _item(request, item_id)
    data = forms.pick(request.POST, forms.INCOMING_FIELDS)

    def do() -> str:
        entry = intake.register(request.user, item, data)
        messages.success(request, f"ลงทะเบียนรับเลขที่ {entry.display} ปี {entry.book.year_be} แล้ว|"
                                  f"Registered as number {entry.display} of {entry.book.year_be}")
        return f"/letters/{entry.letter_id}/"

    def again(exc: SarabanError) -> HttpResponse:
        return render(request, "desk/register_page.html",
                      _form_context(request, item, {**item.metadata, **data}, error=exc), status=once.error_status(exc))

    return once.form(request, {"item": str(item_id), "data": data}, do, back=again)


@login_required
@require_POST
def intake_reject(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    item = _item(request, item_id)
    reason, code = request.POST.get("reason", ""), request.POST.get("reason_code", "OTHER")

    def do() -> str:
        intake.reject(request.user, item, reason, code)
        return "/"

    return once.form(request, {"item": str(item_id), "reason": reason, "code": code}, do, back="/",
                     ok=("ส่งคืนแล้ว", "Returned"))


@login_required
def intake_page_png(request: HttpRequest, item_id: uuid.UUID, file_id: uuid.UUID, page: int) -> HttpResponse:
    item = _item(request, item_id)
    f = IntakeFile.objects.select_related("blob").filter(pk=file_id, item=item).first()
    if f is None:
        raise Http404
    try:
        png = page_png(blobs.read(f.blob), page, width=int(request.GET.get("w", 900)))
    except (IndexError, ValueError) as exc:
        raise Http404 from exc
    resp = HttpResponse(png, content_type="image/png")
    resp["Cache-Control"] = "private, max-age=600"
    return resp


@login_required
def outgoing(request: HttpRequest) -> HttpResponse:
    units = _units(request, Role.REGISTRAR, Role.SECRET_REGISTRAR)
    data: dict = {}

    def page(error: SarabanError | None = None) -> HttpResponse:
        return render(request, "desk/outgoing.html", {
            "units": units, "result": None, "error": error, "data": data, "token": once.new_token(request),
            "today": clock.today(),
        }, status=once.error_status(error) if error else 200)

    if request.method == "POST":
        data = forms.pick(request.POST, forms.OUTGOING_FIELDS)
        upload = request.FILES.get("file")
        content = upload.read() if upload else None

        def do() -> str:
            meta = parse(OutgoingMetadata, data)
            entry = registry.issue_outgoing(request.user, meta,
                                            registry.Upload(content, upload.name) if upload and content else None)
            messages.success(request, f"ออกเลขที่ {entry.display} แล้ว|Issued number {entry.display}")
            return f"/letters/{entry.letter_id}/"

        return once.form(request, {"data": data, "file": bool(content)}, do, back=page)
    return page()


@login_required
def placeholder(request: HttpRequest) -> HttpResponse:
    """Record a ลับที่สุด letter that is handled outside the system: a register row, no content."""
    units = _units(request, Role.SECRET_REGISTRAR)
    data: dict = {}

    def page(error: SarabanError | None = None) -> HttpResponse:
        return render(request, "desk/placeholder.html", {"units": units, "error": error, "data": data,
                                                         "token": once.new_token(request)},
                      status=once.error_status(error) if error else 200)

    if request.method == "POST":
        data = forms.pick(request.POST, ("direction", "their_ref", "letter_date", "sender", "addressee", "unit",
                                         "remark"))

        def do() -> str:
            entry = registry.record_top_secret_placeholder(request.user, parse(PlaceholderMetadata, data))
            messages.success(request, f"บันทึกรายการเลขที่ {entry.display} (ดำเนินการนอกระบบ) แล้ว|"
                                      f"Recorded as number {entry.display} (handled outside the system)")
            return f"/registers/{entry.book.kind}/{entry.book.year_be}/?unit={entry.book.unit.code}"

        return once.form(request, {"data": data}, do, back=page)
    return page()
