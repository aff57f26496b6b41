"""Register books: open, filter, print (official layout), export, cancel an entry; attach the file of a reserved
number."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from saraban.kernel import clock
from saraban.kernel.actor import signed_in
from saraban.kernel.errors import SarabanError
from saraban.kernel.thai import parse_user_date
from saraban.letters import queries as letter_queries
from saraban.letters.enclosures import Upload
from saraban.letters.reads import record_read
from saraban.registry import actions as registry
from saraban.registry import reservations
from saraban.registry.books import BookKind
from saraban.registry.queries import RegisterFilter, books_for, entry_for, open_register
from saraban.reports import registers as report
from saraban.transport import once
from saraban.transport.http import content_disposition
from saraban.transport.limits import check, limited


def _date(value: str | None) -> dt.date | None:
    try:
        return parse_user_date(value) if value else None
    except ValueError:
        return None


def _filter(request: HttpRequest) -> RegisterFilter:
    cancelled = request.GET.get("cancelled")
    return RegisterFilter(
        q=request.GET.get("q", "").strip(), date_from=_date(request.GET.get("from")),
        date_to=_date(request.GET.get("to")),
        urgency=request.GET.get("urgency", ""), cancelled={"1": True, "0": False}.get(cancelled or ""),
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "registers/registers.html", {"books": books_for(request.user), "year": clock.year_be(),
                                                  "kinds": BookKind.choices})


@login_required
def book(request: HttpRequest, book: str, year: int) -> HttpResponse:
    if request.GET.get("q", "").strip():
        check(request, "search")
    try:
        reg = open_register(request.user, book, year, request.GET.get("unit") or None, _filter(request))
    except SarabanError as exc:
        raise Http404 from exc
    entries = report.with_marks(reg.entries[:2000])  # a destroyed letter's row says so
    record_read(signed_in(request), None, via="web.register", role="listing", listed=entries)
    return render(request, "registers/register.html", {
        "reg": reg, "entries": entries, "f": _filter(request), "query": request.GET.urlencode(),
        "headers": report.headers(reg.kind), "token": once.new_token(request),
    })


@login_required
@limited("export")
def export(request: HttpRequest, book: str, year: int, fmt: str) -> HttpResponse:
    try:
        reg = open_register(request.user, book, year, request.GET.get("unit") or None, _filter(request))
    except SarabanError as exc:
        raise Http404 from exc
    name, fallback = report.export_name(reg), f"register-{reg.unit.code}-{book}-{year}"
    if fmt not in ("pdf", "xlsx", "csv"):
        raise Http404
    record_read(signed_in(request), None, via=f"web.export.{fmt}", role="export", listed=reg.entries)
    if fmt == "pdf":
        resp = HttpResponse(report.to_pdf(reg, digit_style=reg.unit.agency.digit_style), content_type="application/pdf")
        resp["Content-Disposition"] = content_disposition(f"{name}.pdf", inline=True, fallback=f"{fallback}.pdf")
        return resp
    if fmt == "xlsx":
        resp = HttpResponse(report.to_xlsx(reg),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    elif fmt == "csv":
        resp = HttpResponse(report.to_csv(reg), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    resp["Content-Disposition"] = content_disposition(f"{name}.{fmt}", fallback=f"{fallback}.{fmt}")
    return resp


@login_required
@require_POST
def cancel(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    try:
        entry = entry_for(request.user, entry_id)
    except SarabanError as exc:
        raise Http404 from exc
    back = f"/registers/{entry.book.kind}/{entry.book.year_be}/?unit={entry.book.unit.code}"
    reason = request.POST.get("reason", "")

    def do() -> str:
        registry.cancel_registration(request.user, entry, reason)
        return back

    return once.form(request, {"entry": str(entry_id), "reason": reason}, do, back=back,
                     ok=(f"ยกเลิกเลขที่ {entry.display} แล้ว", f"Cancelled number {entry.display}"))


@login_required
@require_POST
def attach(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    """Attach the PDF (and enclosures) of a reserved number, optionally stamping its number and date."""
    try:
        letter = letter_queries.letter_for(request.user, letter_id)
    except SarabanError as exc:
        raise Http404 from exc
    back = f"/letters/{letter.pk}/"
    f = request.FILES.get("file")
    if f is None:
        messages.error(request, "กรุณาเลือกไฟล์หนังสือ (PDF)|Choose the letter's PDF")
        return redirect(back)
    upload = Upload(f.read(), f.name or "letter.pdf")
    extra = [Upload(e.read(), e.name or "enclosure") for e in request.FILES.getlist("enclosures")]
    stamp = request.POST.get("stamp") == "1"

    def do() -> str:
        reservations.attach_file(signed_in(request), letter, upload, enclosures=extra, stamp=stamp)
        return back

    parts = {"attach": str(letter.pk), "file": once.file_digest(upload.data), "stamp": stamp,
             "enclosures": [once.file_digest(e.data) for e in extra]}
    return once.form(request, parts, do, back=back, ok=("แนบไฟล์หนังสือแล้ว", "The letter's file is attached"))
