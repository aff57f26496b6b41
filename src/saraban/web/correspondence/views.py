"""ตอบหนังสือนี้, ส่งต่อ and the receipt slip, from the letter page."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from saraban.access.principal import principal_for
from saraban.drafting import actions as drafting
from saraban.exchange import forward as forwarding
from saraban.kernel.actor import signed_in
from saraban.kernel.errors import NotFound
from saraban.letters import queries
from saraban.letters.models import Letter
from saraban.letters.reads import record_read
from saraban.registry import policy as registry_policy
from saraban.registry import receipts
from saraban.transport import once
from saraban.transport.http import content_disposition


def _letter(request: HttpRequest, letter_id: uuid.UUID) -> Letter:
    try:
        return queries.letter_for(request.user, letter_id)
    except NotFound as exc:
        raise Http404 from exc


@login_required
@require_POST
def reply(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    """Start a draft answering the letter and open it in the editor."""
    letter = _letter(request, letter_id)

    def do() -> str:
        draft = drafting.start_reply(signed_in(request), letter.pk)
        return f"/drafts/{draft.pk}/"

    return once.form(request, {"reply": str(letter.pk)}, do, back=f"/letters/{letter.pk}/",
                     ok=("เริ่มร่างหนังสือตอบแล้ว", "Reply draft started"))


@login_required
@require_POST
def forward(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    letter = _letter(request, letter_id)
    recipients = request.POST.getlist("recipient")
    note = request.POST.get("note", "")
    if not recipients:
        messages.error(request, "กรุณาเลือกหน่วยงานผู้รับ|Choose at least one recipient")
        return redirect(f"/letters/{letter.pk}/")

    def do() -> str:
        forwarding.forward(signed_in(request), letter, recipients, note=note)
        return f"/letters/{letter.pk}/"

    return once.form(request, {"forward": str(letter.pk), "to": sorted(recipients), "note": note}, do,
                     back=f"/letters/{letter.pk}/",
                     ok=(f"ส่งต่อถึง {len(recipients)} หน่วยงานแล้ว", f"Forwarded to {len(recipients)} agencies"))


@login_required
def receipt(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    """ใบรับหนังสือ (PDF) for whoever delivered the letter by hand."""
    letter = _letter(request, letter_id)
    if not registry_policy.can_register_in(principal_for(request.user), letter.unit_id, letter.secrecy):
        raise Http404
    entry = receipts.receipt_entry(letter)
    if entry is None:
        raise Http404
    pdf = receipts.receipt_pdf(letter, entry)
    record_read(signed_in(request), letter, via="web.receipt", role="receipt")
    resp = HttpResponse(pdf, content_type="application/pdf")
    resp["Content-Disposition"] = content_disposition(
        f"ใบรับหนังสือ เลขรับ {entry.display} ปี {entry.book.year_be}.pdf", inline=True,
        fallback=f"receipt-{entry.book.year_be}-{entry.number}.pdf")
    resp["Cache-Control"] = "private, no-store"
    return resp
