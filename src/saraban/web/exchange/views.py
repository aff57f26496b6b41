"""Web pages of the exchange: the letter-page panel (send, per-recipient status, what arrived), the ministry
dashboard, the administrator's directory screen, and the public ``/.well-known/sbx`` and schemas."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from saraban.access.principal import principal_for
from saraban.drafting import queries as drafting_queries
from saraban.drafting.models import Draft
from saraban.exchange import actions, codes, directory, local, policy, queries
from saraban.exchange import node as node_mod
from saraban.exchange.models import Dispatch, DispatchStatus, Participant
from saraban.exchange.sbx import endpoints
from saraban.kernel.actor import signed_in
from saraban.kernel.errors import NotFound
from saraban.letters import queries as letter_queries
from saraban.letters.models import Direction, DispatchState, Letter, LetterStatus
from saraban.letters.reads import record_read
from saraban.registry import policy as registry_policy
from saraban.signing.verdict import judge, overall
from saraban.transport import once
from saraban.web.render import render


def can_see_dashboard(request: HttpRequest) -> bool:
    return policy.can_view_exchange_dashboard(principal_for(request.user))


def can_admin(request: HttpRequest) -> bool:
    return policy.can_admin_exchange(principal_for(request.user))


def panel_context(request: HttpRequest, letter: Letter) -> dict[str, Any] | None:
    p = principal_for(request.user)
    if letter.direction == Direction.OUTGOING:
        rows = [queries.dispatch_row(d) for d in queries.dispatches(letter)]
        may_send = policy.can_dispatch(p, letter) and letter.secrecy != "top_secret" and letter.status == "registered"
        if not rows and not may_send and not letter.awaiting_dispatch:
            return None
        sent_to = {r["recipient"] for r in rows if r["status"] in ("queued", "delivered", "registered")}
        choices = [x for x in Participant.objects.order_by("code") if x.code != letter.agency.code
                   and x.code not in sent_to and (x.linked or local.served_here(x.code))]
        named = directory.match_names(addressee_lines(letter), choices)
        return {"kind": "outgoing", "letter": letter, "rows": rows, "may_send": may_send,
                "choices": named + [c for c in choices if c not in named], "prefilled": {c.code for c in named},
                "configured": node_mod.configured(), "token": once.new_token(request),
                "top_secret": letter.secrecy == "top_secret", "reasons": codes.REASONS,
                "awaiting": letter.awaiting_dispatch,
                "polling": any(r["status"] == DispatchStatus.QUEUED and r["channel"] == "sbx" for r in rows)}
    m = queries.inbound_for(letter)
    if m is None:
        return None
    report = (m.verification or {}).get("letter") or {}
    signatures = [s for s in report.get("signatures") or [] if s.get("kind", "signature") == "signature"]
    return {"kind": "incoming", "letter": letter, "m": m, "envelope": (m.verification or {}).get("envelope") or {},
            "report": report, "trust": overall(signatures, report.get("problems") or ()) if report else None,
            "judged": [judge(s) for s in signatures], "sender": Participant.objects.filter(code=m.sender_code).first(),
            "may_report": registry_policy.can_register_in(p, letter.unit_id, letter.secrecy), "reasons": codes.REASONS,
            "token": once.new_token(request)}


@login_required
def panel(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    """HTMX: the letter page's exchange panel, polled while a delivery waits for the recipient's receipt."""
    letter = _letter(request, letter_id)
    record_read(signed_in(request), letter, via="web.sbx_panel", role="route")
    ctx = panel_context(request, letter)
    if ctx is None:  # nothing to show (no longer): an empty answer ends the polling
        return HttpResponse("")
    return render(request, "exchange/_panel.html", {"panel": ctx})


def awaiting_q(request: HttpRequest) -> Any:
    """Signed letters not yet sent that the user may send."""
    p = principal_for(request.user)
    return (Letter.objects.filter(policy.dispatchable_q(p), dispatch_state=DispatchState.AWAITING,
                                  status=LetterStatus.REGISTERED, direction=Direction.OUTGOING)
            .select_related("unit").order_by("-created_at"))


def has_awaiting(request: HttpRequest) -> bool:
    return request.user.is_authenticated and awaiting_q(request).exists()


@login_required
def awaiting(request: HttpRequest) -> HttpResponse:
    """หนังสือลงนามแล้ว รอส่ง: what the user may send and has not been sent yet."""
    letters = list(awaiting_q(request)[:500])
    record_read(signed_in(request), None, via="web.awaiting", role="listing", listed=letters)
    return render(request, "exchange/awaiting.html", {"letters": letters, "nav": "awaiting"})


def addressee_lines(letter: Letter) -> list[str]:
    """Whom the letter names: its addressee, and for a letter drafted here the draft's เรียน and สำเนาส่ง lines."""
    lines = [letter.addressee]
    draft = Draft.objects.filter(letter=letter).first()
    if draft is not None:
        content = drafting_queries.version(draft, draft.approved_version).content
        to = content.get("to")
        lines += [to.get("title", "") if isinstance(to, dict) else str(to or "")]
        lines += [str(c) for c in content.get("copies_to") or []]
    return [x for x in lines if x]


def _letter(request: HttpRequest, letter_id: uuid.UUID) -> Letter:
    try:
        return letter_queries.letter_for(request.user, letter_id)
    except NotFound as exc:
        raise Http404 from exc


def _done(request: HttpRequest, letter: Letter, fn: Any, parts: dict[str, Any], ok: tuple[str, str]) -> HttpResponse:
    back = f"/letters/{letter.pk}/"
    return once.form(request, parts, lambda: (fn(), back)[1], back=back, ok=ok)


@login_required
@require_POST
def send(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    letter = _letter(request, letter_id)
    recipients = request.POST.getlist("recipient")
    if not recipients:
        messages.error(request, "กรุณาเลือกหน่วยงานผู้รับ|Choose at least one recipient")
        return redirect(f"/letters/{letter.pk}/")
    return _done(request, letter, lambda: actions.dispatch(request.user, letter, recipients),
                 {"send": str(letter.pk), "to": sorted(recipients)},
                 (f"ส่งหนังสือถึง {len(recipients)} หน่วยงานแล้ว (รอส่ง)", f"Sent to {len(recipients)} agencies (queued)"))


def _dispatch(request: HttpRequest, dispatch_id: uuid.UUID) -> tuple[Dispatch, Letter]:
    d = Dispatch.objects.filter(pk=dispatch_id).first()
    if d is None:
        raise Http404
    return d, _letter(request, d.letter_id)


@login_required
@require_POST
def withdraw(request: HttpRequest, dispatch_id: uuid.UUID) -> HttpResponse:
    d, letter = _dispatch(request, dispatch_id)
    reason = request.POST.get("reason", "")
    return _done(request, letter, lambda: actions.withdraw(request.user, d, reason), {"withdraw": str(d.pk)},
                 ("ถอนหนังสือคืนแล้ว", "Withdrawn"))


@login_required
@require_POST
def dispute(request: HttpRequest, dispatch_id: uuid.UUID) -> HttpResponse:
    d, letter = _dispatch(request, dispatch_id)
    reason = request.POST.get("reason", "")
    return _done(request, letter, lambda: actions.dispute_registration(request.user, d, reason), {"dispute": str(d.pk)},
                 ("แจ้งเลขรับผิดแล้ว", "Registration number disputed"))


@login_required
@require_POST
def fallback(request: HttpRequest, dispatch_id: uuid.UUID) -> HttpResponse:
    d, letter = _dispatch(request, dispatch_id)
    channel, evidence = request.POST.get("channel", ""), request.POST.get("evidence", "")
    return _done(request, letter, lambda: actions.record_fallback(request.user, d, channel, evidence),
                 {"fallback": str(d.pk), "channel": channel}, ("บันทึกการส่งทางอื่นแล้ว", "Fallback recorded"))


@login_required
@require_POST
def invalid(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    letter = _letter(request, letter_id)
    code, reason = request.POST.get("reason_code", "OTHER"), request.POST.get("reason", "")
    return _done(request, letter, lambda: actions.report_invalid(request.user, letter, code, reason),
                 {"invalid": str(letter.pk)}, ("แจ้งหนังสือผิดถึงผู้ส่งแล้ว", "The sender was told the letter is wrong"))


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not can_see_dashboard(request):
        raise Http404
    rows = queries.dashboard()
    total_sent = sum(r.sent_electronic + r.sent_other for r in rows)
    total_e = sum(r.sent_electronic for r in rows)
    linked = sum(1 for r in rows if r.linked)
    month = queries.month_start()
    return render(request, "exchange/dashboard.html", {
        "nav": "exchange-dashboard", "rows": [{"r": r, "e_share": _pct(r.electronic_share),
                                               "signed": _pct(r.signed_share), "paper": _pct(r.paper_share)}
                                              for r in rows],
        "linked": linked, "agencies": len(rows), "e_share": _pct(total_e / total_sent if total_sent else None),
        "failed": sum(r.failed for r in rows), "month": month,
        "failures": Dispatch.objects.filter(status=DispatchStatus.FAILED, queued_at__gte=month)
        .select_related("letter", "agency").order_by("-status_at")[:20],
    })


@login_required
def directory_page(request: HttpRequest) -> HttpResponse:
    if not can_admin(request):
        raise Http404
    if request.method == "POST":
        from saraban.exchange import refresh

        def load() -> str:
            v = refresh.refresh(actor=request.user)
            messages.success(request, f"โหลดสมุดรายชื่อแล้ว ({v})|Directory loaded ({v})")
            return "/exchange/directory/"

        return once.form(request, {"refresh": True}, load, back="/exchange/directory/")
    node = node_mod.load() if node_mod.configured() else None
    v = directory.current()
    return render(request, "exchange/directory.html", {
        "nav": "exchange-directory", "version": v, "node": node,
        "participants": [{"p": p, "here": local.served_here(p.code), "in_force": directory.in_force(p)}
                         for p in Participant.objects.order_by("code")],
        "expired": v is not None and v.expires_at <= dt.datetime.now(dt.UTC),
    })


def well_known(request: HttpRequest) -> HttpResponse:
    status, ctype, body = endpoints.well_known()
    return HttpResponse(body, status=status, content_type=ctype)


def well_known_signature(request: HttpRequest) -> HttpResponse:
    status, ctype, body = endpoints.well_known_signature()
    return HttpResponse(body, status=status, content_type=ctype)


def schema(request: HttpRequest, name: str) -> HttpResponse:
    status, ctype, body = endpoints.schema(name)
    return HttpResponse(body, status=status, content_type=ctype)
