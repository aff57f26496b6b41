"""The public verification pages (no login) and the letter page's signature-validation panel."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from saraban.drafting import verification
from saraban.drafting.models import SignedRecord
from saraban.kernel.errors import NotFound
from saraban.letters import queries as letter_queries
from saraban.letters.reads import record_read
from saraban.storage import blobs
from saraban.web.render import render


def _lang(request: HttpRequest) -> str:
    lang = request.GET.get("rlang") or getattr(request, "LANGUAGE_CODE", "th")
    return "en" if lang == "en" else "th"


def _upload(request: HttpRequest) -> tuple[bytes | None, str]:
    f = request.FILES.get("file")
    if f is None:
        return None, "no_file"
    if f.size > verification.MAX_UPLOAD:
        return None, "too_large"
    data = f.read()
    if not data.startswith(b"%PDF-"):
        return None, "not_pdf"
    return data, ""


UPLOAD_ERRORS = {
    "no_file": ("โปรดเลือกไฟล์ PDF", "Choose a PDF file"),
    "too_large": ("ไฟล์ใหญ่เกิน 20 MB", "The file is larger than 20 MB"),
    "not_pdf": ("ไฟล์นี้ไม่ใช่ PDF", "This file is not a PDF"),
}


def _record_context(record: SignedRecord, lang: str) -> dict[str, Any]:
    classified = verification.is_classified(record)
    live = verification.live_report(record)
    return {
        "record": record, "classified": classified, "agency": record.letter.agency,
        "live": verification.report_view(live, lang) if live is not None else None,
        "test_keys": any("TEST" in (s.get("certificate") or "") for s in record.signers),
    }


@require_http_methods(["GET", "POST"])
def verify_token(request: HttpRequest, token: str) -> HttpResponse:
    record = verification.record_for_token(token)
    if record is None:
        return render(request, "verify/unknown.html", {"token": token}, status=404)
    lang = _lang(request)
    ctx = _record_context(record, lang)
    if request.method == "POST":
        data, problem = _upload(request)
        if data is None:
            ctx["upload_error"] = UPLOAD_ERRORS[problem]
        else:
            cmp = verification.compare(record, data)
            ctx["comparison"] = cmp
            if cmp.report is not None and not (cmp.matches and ctx["classified"]):
                ctx["upload_report"] = verification.report_view(cmp.report, lang)
    return render(request, "verify/page.html", ctx)


@require_http_methods(["GET", "POST"])
def verify_any(request: HttpRequest) -> HttpResponse:
    """Upload any PDF: is it a letter we signed, and are its signatures valid?"""
    ctx: dict[str, Any] = {}
    if request.method == "POST":
        data, problem = _upload(request)
        if data is None:
            ctx["upload_error"] = UPLOAD_ERRORS[problem]
        else:
            cmp = verification.compare(None, data)
            record = verification.record_for_hash(cmp.sha256)
            ctx.update(comparison=cmp, found=record)
            if record is None or not verification.is_classified(record):
                ctx["upload_report"] = verification.report_view(cmp.report, _lang(request)) if cmp.report else None
    return render(request, "verify/any.html", ctx)


# --- the letter page's panel ------------------------------------------------------------------------


@login_required
def letter_signatures(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    """HTMX: a validation report for each PDF of the letter (received or ours)."""
    try:
        letter = letter_queries.letter_for(request.user, letter_id)
    except NotFound as exc:
        raise Http404 from exc
    files = verification.files_to_check(list(letter.files.select_related("blob").order_by("created_at")))
    lang = _lang(request)
    request.LANGUAGE_CODE = lang  # the panel's own ไทย | English switch
    results = []
    for f in files:
        record_read(request.user, letter, f, via="web.signatures")
        f.letter = letter
        report = verification.validate(blobs.read(f.blob))
        results.append({"file": f, **verification.report_view(report, lang)})
    return render(request, "verify/_signatures.html", {"letter": letter, "results": results, "rlang": lang})
