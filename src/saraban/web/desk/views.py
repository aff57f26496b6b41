"""The registrar's desk: the queue (most urgent first), uploading, registering, issuing numbers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from saraban.access.principal import DESK_ROLES, principal_for
from saraban.intake import actions as intake
from saraban.intake import policy
from saraban.intake.models import IntakeFile, IntakeItem
from saraban.intake.reasons import RETURN_REASONS
from saraban.kernel import clock
from saraban.kernel.actor import signed_in
from saraban.kernel.errors import NotFound, SarabanError
from saraban.kernel.models import Urgency
from saraban.kernel.validation import parse
from saraban.letterpress.raster import clamp_width, page_count, page_png
from saraban.letters.enclosures import settings_types as enclosure_types
from saraban.letters.reads import record_read
from saraban.orgs.models import Role, Unit
from saraban.registry import actions as registry
from saraban.registry.books import BookKind
from saraban.registry.models import RegisterEntry
from saraban.registry.validation import IntakeMetadata, OutgoingMetadata, PlaceholderMetadata
from saraban.storage import blobs
from saraban.transport import once
from saraban.transport.limits import limited
from saraban.web import bulk, forms
from saraban.web.templatetags.sb import user_date


def _item(request: HttpRequest, item_id: uuid.UUID) -> IntakeItem:
    item = IntakeItem.objects.select_related("unit").filter(pk=item_id).first()
    if item is None or not policy.can_view_intake(principal_for(request.user), item.unit_id, item.secrecy):
        raise Http404
    return item


def _units(request: HttpRequest, *roles: str) -> list[Unit]:
    ids = principal_for(request.user).units(*roles)
    return list(Unit.objects.filter(pk__in=ids).select_related("agency").order_by("path"))


def is_registrar(request: HttpRequest) -> bool:
    return request.user.is_authenticated and bool(principal_for(request.user).units(*DESK_ROLES))


def queue_count(request: HttpRequest) -> int:
    """Items waiting in the queues the person registers for (the top bar's badge)."""
    return intake.pending_q(signed_in(request)).count() if is_registrar(request) else 0


def today_counts(request: HttpRequest, items: list[IntakeItem]) -> dict[str, int]:
    """The desk's day at a glance: what waits, how much of it is urgent, what was registered and numbered today
    in the person's units (counts only: classified rows are counted, never named)."""
    units = principal_for(request.user).units(*DESK_ROLES)
    since = dt.datetime.combine(clock.today(), dt.time(), tzinfo=clock.BANGKOK)
    today = RegisterEntry.objects.filter(book__unit_id__in=units, registered_at__gte=since, cancelled=False)
    incoming = (BookKind.RECEIVED, BookKind.SECRET_RECEIVED)
    return {
        "waiting": len(items), "urgent": sum(1 for i in items if i.urgency != Urgency.NORMAL),
        "received": today.filter(book__kind__in=incoming).count(),
        "sent": today.exclude(book__kind__in=incoming).count(),
    }


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    items = list(intake.pending_q(request.user).select_related("unit")[:200])
    record_read(signed_in(request), None, via="web.desk", role="listing", listed=items)
    selected = request.GET.get("item")
    return render(request, "desk/desk.html", {
        "items": items, "selected": selected, "units": _units(request, Role.REGISTRAR, Role.SECRET_REGISTRAR),
        "secret_registrar": bool(principal_for(request.user).units(Role.SECRET_REGISTRAR)),
        "token": once.new_token(request), "today": clock.today(), "counts": today_counts(request, items),
        "bulk": bulk.take_summary(request),
        "accept": ",".join(f".{ext}" for ext in enclosure_types()),
    })


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """Files uploaded together are one item: the first is the letter, the others its enclosures (the officer
    may reorder them and choose another letter).  With ``separate``, every file is an item of its own."""
    files = request.FILES.getlist("file")
    if not files:
        messages.error(request, "กรุณาเลือกไฟล์|Choose a file")
        return redirect("desk")
    base = forms.pick(request.POST, ("unit", "urgency", "secrecy", "subject"))
    groups = [[f] for f in files] if request.POST.get("separate") else [files]
    added = []
    for group in groups:
        first = group[0]
        try:
            meta = parse(IntakeMetadata, base)  # the rest is pre-filled from the letter's text
            uploads = [registry.Upload(f.read(), f.name or "letter.pdf") for f in group]
            added.append(intake.submit(request.user, meta, uploads[0], attachments=uploads[1:]))
        except SarabanError as exc:  # one bad item does not stop the others; nothing of it is kept
            once.error(request, exc, prefix=f"{first.name}: " if len(groups) > 1 else "")
    if len(added) == 1 and len(files) > 1 and len(groups) == 1:
        messages.success(request, f"รับเข้าคิว 1 รายการ: หนังสือพร้อมสิ่งที่ส่งมาด้วย {len(files) - 1} ไฟล์|"
                                  f"1 item added: the letter with {len(files) - 1} enclosure(s)")
    elif added:
        messages.success(request, f"รับเข้าคิว {len(added)} รายการ|{len(added)} item(s) added to the queue")
    if len(added) == 1:
        return redirect(f"/desk/?item={added[0].pk}")
    return redirect("desk")


@login_required
def intake_form(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    item = _item(request, item_id)
    record_read(signed_in(request), item, via="web.intake", role="metadata")
    template = "desk/_register_form.html" if request.headers.get("HX-Request") else "desk/register_page.html"
    return render(request, template, _form_context(request, item, item.metadata))


def _form_context(request: HttpRequest, item: IntakeItem, meta: dict, **extra: object) -> dict:
    main, enclosures = intake.parts(item)
    pages = page_count(blobs.read(main.blob)) if main else 0
    return {
        "item": item, "main": main, "enclosures": enclosures, "parts": ([main] if main else []) + enclosures,
        "pages": range(1, pages + 1), "meta": meta,
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
def bulk_register(request: HttpRequest) -> HttpResponse:
    """Register the ticked queue items as they were proposed (each its own registration: one that lacks a field
    or fails is reported and stays in the queue, the others are registered)."""
    ids = request.POST.getlist("item")[:100]
    items = {str(i.pk): i for i in intake.pending_q(signed_in(request)).filter(pk__in=[i for i in ids if _uuid(i)])
             .select_related("unit")}

    def job(item_id: str) -> bulk.Job:
        item = items.get(item_id)

        def register() -> tuple[str, str, str]:
            if item is None:
                raise NotFound("ไม่พบรายการนี้ในคิวของท่าน (อาจลงทะเบียนหรือส่งคืนไปแล้ว)",
                               "Not in your queue (registered or returned already?)")
            entry = intake.register(signed_in(request), item)
            return (f"ลงทะเบียนรับเลขที่ {entry.display}/{entry.book.year_be}",
                    f"registered as number {entry.display}/{entry.book.year_be}", f"/letters/{entry.letter_id}/")

        label = "-" if item is None else item.subject or "-" if not item.is_classified else "หนังสือชั้นความลับ"
        return item_id, label, register  # a classified subject is not kept in the session

    return bulk.run(request, ("ลงทะเบียนรับหลายรายการ", "Register several"), [job(i) for i in ids], "/desk/")


def _uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _arrangement(post: Any, files: list[IntakeFile]) -> tuple[list[str], str, dict[str, str]]:
    """The editor's post: the order (moved up or down by its buttons), the letter and the titles."""
    ids = [str(f.pk) for f in files]
    listed = [i for i in post.getlist("file_id") if i in ids]
    order = listed + [i for i in ids if i not in listed]
    for move, step in (("up", -1), ("down", 1)):
        fid = post.get(move)
        if fid in order:
            i = order.index(fid)
            j = i + step
            if 0 <= j < len(order):
                order[i], order[j] = order[j], order[i]
    letter = post.get("letter") or order[0]
    titles = {i: post.get(f"title-{i}", "") for i in ids if f"title-{i}" in post}
    return order, letter, titles


@login_required
@require_POST
def intake_files(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    """The enclosure editor: reorder the item's files, choose which is the letter, title the enclosures.  The
    register form's fields come along (``hx-include``) so nothing typed is lost."""
    item = _item(request, item_id)
    files = list(item.files.select_related("blob").order_by("order"))
    order, letter, titles = _arrangement(request.POST, files)
    typed = forms.pick(request.POST, forms.INCOMING_FIELDS)
    before = dict(item.metadata)
    error = None
    try:
        intake.arrange(signed_in(request), item, order=order, letter=letter, titles=titles)
    except SarabanError as exc:
        error = exc
    item.refresh_from_db()
    # what the officer typed stays; a pre-filled value left as it was follows the new letter's text
    kept = {k: v for k, v in typed.items() if v and not (k in (before.get("prefilled") or [])
                                                        and v in (str(before.get(k) or ""), user_date(before.get(k))))}
    meta = {**item.metadata, **kept}
    template = "desk/_register_form.html" if request.headers.get("HX-Request") else "desk/register_page.html"
    return render(request, template, _form_context(request, item, meta, parts_error=error),
                  status=once.error_status(error) if error else 200)


@login_required
@require_POST
def intake_reject(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    item = _item(request, item_id)
    reason, code = request.POST.get("reason", ""), request.POST.get("reason_code", "OTHER")

    def do() -> str:
        intake.reject(request.user, item, reason, code)
        return "/desk/"

    return once.form(request, {"item": str(item_id), "reason": reason, "code": code}, do, back="/desk/",
                     ok=("ส่งคืนแล้ว", "Returned"))


@login_required
@limited("preview")
def intake_page_png(request: HttpRequest, item_id: uuid.UUID, file_id: uuid.UUID, page: int) -> HttpResponse:
    item = _item(request, item_id)
    f = IntakeFile.objects.select_related("blob").filter(pk=file_id, item=item).first()
    if f is None:
        raise Http404
    record_read(signed_in(request), item, f, via="web.intake_page", role="page")
    try:
        png = page_png(blobs.read(f.blob), page, width=clamp_width(request.GET.get("w")))
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
        extra = [registry.Upload(e.read(), e.name or "enclosure") for e in request.FILES.getlist("enclosures")]
        stamp = request.POST.get("stamp") == "1"

        def do() -> str:
            meta = parse(OutgoingMetadata, data)
            entry = registry.issue_outgoing(signed_in(request), meta,
                                            registry.Upload(content, upload.name) if upload and content else None,
                                            enclosures=extra, stamp=stamp)
            if content:
                messages.success(request, f"ออกเลขที่ {entry.display} แล้ว|Issued number {entry.display}")
            else:
                messages.success(request, f"จองเลขที่ {entry.display} แล้ว แนบไฟล์หนังสือได้ที่หน้านี้|"
                                          f"Reserved number {entry.display}; attach the letter's file on this page")
            return f"/letters/{entry.letter_id}/"

        parts = {"data": data, "file": once.file_digest(content), "stamp": stamp,
                 "enclosures": [once.file_digest(e.data) for e in extra]}
        return once.form(request, parts, do, back=page)
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
