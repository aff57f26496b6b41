"""Lending and re-grading on the letter page: the "การยืม / Loans" panel (the letter's loans, lending per form 24,
return, certified copies and their download) and the "ชั้นความลับ / Secrecy class" panel (history, re-grading).

The actions are the records domain's (:mod:`saraban.records.actions.loans`, ``copies``, ``grading``); each form
posts once (``transport.once``) and comes back to the letter page, where a refusal shows as its coded Thai or
English message and nothing has changed.  Who has no right at all gets a 404 (cannot see) or a 403 (may see,
may not act) before any action runs.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.http import require_POST

from saraban.access.principal import Principal, principal_for
from saraban.kernel import clock
from saraban.kernel.actor import signed_in
from saraban.kernel.errors import NotFound
from saraban.kernel.models import SECRECY_EN, Secrecy
from saraban.kernel.thai import format_user_date, parse_user_date
from saraban.letters import queries as letter_queries
from saraban.letters.models import Letter
from saraban.letters.reads import record_read
from saraban.orgs.models import Person, PositionHolding
from saraban.records import errors
from saraban.records.actions.grading import history, regrade
from saraban.records.actions.loans import LoanRequest, lend, return_loan
from saraban.records.models import BorrowerScope, CertifiedCopy, Loan, LoanMedium
from saraban.records.models.grading import CHANGE_EN
from saraban.records.models.loans import SCOPE_EN
from saraban.records.policy import (
    LOAN_VIEW_ROLES,
    can_lend,
    can_regrade,
    can_view_loan,
    division_head_position,
)
from saraban.transport import once
from saraban.transport.http import blob_response

MEDIUM_EN = {"electronic": "Electronic access (expires by itself)", "paper": "Paper original",
             "copy": "Certified copy"}
REGRADE_TO = (Secrecy.NORMAL, Secrecy.CONFIDENTIAL, Secrecy.SECRET, Secrecy.TOP_SECRET)


class BadDueDate(errors.InvalidInput):
    code = "loan_bad_due_date"
    message_th = "กำหนดส่งคืนไม่ถูกต้อง พิมพ์เป็น วัน/เดือน/ปี พ.ศ. เช่น 31/3/2569"
    message_en = "The due date is not a date: type day/month/B.E. year, e.g. 31/3/2569"


def _letter(request: HttpRequest, letter_id: Any) -> Letter:
    try:
        return letter_queries.letter_for(request.user, letter_id)
    except NotFound as exc:
        raise Http404 from exc


def _loan(request: HttpRequest, loan_id: uuid.UUID) -> tuple[Loan, Principal]:
    p = principal_for(signed_in(request))
    loan = Loan.objects.select_related("letter__unit").filter(pk=loan_id).first()
    if loan is None or not can_view_loan(p, loan):
        raise Http404
    return loan, p


def _due_day(loan: Loan) -> dt.date:
    """The due date as written on the card: a loan due "on a day" runs until midnight after it."""
    return clock.to_bkk(loan.due_at - dt.timedelta(microseconds=1)).date()


def _state(loan: Loan, now: dt.datetime) -> tuple[str, str, str]:
    if loan.returned_at is not None:
        return "returned", "คืนแล้ว", "Returned"
    if loan.is_overdue(now):
        return "overdue", "เกินกำหนดส่งคืน", "Overdue"
    if not loan.is_out(now):
        return "expired", "สิทธิ์หมดอายุแล้ว", "Access expired"
    return "out", "อยู่ระหว่างยืม", "On loan"


def _row(loan: Loan, p: Principal, now: dt.datetime, may_lend: bool) -> dict[str, Any]:
    own = loan.borrower_id is not None and loan.borrower_id == p.person_id and loan.medium == LoanMedium.ELECTRONIC
    return {"loan": loan, "due": _due_day(loan), "state": _state(loan, now),
            "medium": (loan.get_medium_display(), MEDIUM_EN[loan.medium]),
            "scope": (loan.get_scope_display(), SCOPE_EN[loan.scope]),
            "may_return": loan.returned_at is None and (may_lend or own),
            "may_certify": may_lend and loan.returned_at is None, "copies": list(loan.copies.all())}


def _approvers(letter: Letter) -> list[tuple[Person, str]]:
    day = clock.today()
    heads = (PositionHolding.objects.filter(position__is_head=True, position__unit__agency_id=letter.agency_id,
                                            start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))
             .values_list("person_id", flat=True))
    people = Person.objects.filter(pk__in=set(heads)).order_by("first_name_th")
    out = [(x, division_head_position(x, letter.agency_id, day)) for x in people]
    return [(x, title) for x, title in out if title]


def loans_panel(request: HttpRequest, letter: Letter) -> dict[str, Any] | None:
    """The letter's loans, for those who may lend it or keep the unit's loan cards (and a borrower's own)."""
    p = principal_for(request.user)
    if p.is_anonymous:
        return None
    may_lend = can_lend(p, letter)
    keeper = any(p.has_role(r, letter.unit_id) for r in LOAN_VIEW_ROLES)
    loans = [x for x in Loan.objects.filter(letter=letter).select_related("letter__unit").order_by("-lent_at")
             if can_view_loan(p, x)]
    if not (may_lend or keeper or loans):
        return None
    now = clock.now()
    ctx: dict[str, Any] = {"letter": letter, "rows": [_row(x, p, now, may_lend) for x in loans],
                           "may_lend": may_lend, "token": once.new_token(request)}
    if may_lend:
        ctx.update(
            media=[(v, label, MEDIUM_EN[v]) for v, label in LoanMedium.choices],
            scopes=[(v, label, SCOPE_EN[v]) for v, label in BorrowerScope.choices],
            people=Person.objects.filter(user__isnull=False, user__is_active=True)
            .select_related("home_unit__agency").order_by("home_unit__agency__sort_order", "first_name_th")[:500],
            approvers=_approvers(letter),
            due_hint=format_user_date(clock.today() + dt.timedelta(days=14)))
    return ctx


def _targets(p: Principal, letter: Letter) -> list[str]:
    return [s for s in REGRADE_TO if s != letter.secrecy and (s == Secrecy.TOP_SECRET or can_regrade(p, letter, s))]


def may_regrade(p: Principal, letter: Letter) -> bool:
    return any(s != Secrecy.TOP_SECRET and can_regrade(p, letter, s) for s in _targets(p, letter))


def secrecy_panel(request: HttpRequest, letter: Letter) -> dict[str, Any] | None:
    """The re-grading history and form, for the registering unit's cleared secret registrar."""
    p = principal_for(request.user)
    if p.is_anonymous or not may_regrade(p, letter):
        return None
    rows = [{"r": r, "change": (r.get_change_display(), CHANGE_EN[r.change]),
             "from": (Secrecy(r.from_secrecy).label, SECRECY_EN[r.from_secrecy]),
             "to": (Secrecy(r.to_secrecy).label, SECRECY_EN[r.to_secrecy])} for r in history(letter)]
    return {"letter": letter, "rows": rows, "current": (Secrecy(letter.secrecy).label, SECRECY_EN[letter.secrecy]),
            "targets": [(s, Secrecy(s).label, SECRECY_EN[s]) for s in _targets(p, letter)],
            "token": once.new_token(request)}


def _person_id(value: str | None) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise errors.InvalidInput("ไม่พบผู้ยืมหรือผู้อนุมัติที่ระบุ", "Unknown borrower or approver",
                                  code="unknown_person") from None


def _request(letter: Letter, p: Any) -> LoanRequest:
    raw = (p.get("due") or "").strip()
    try:
        due = parse_user_date(raw)
    except ValueError:
        raise BadDueDate(details={"due": raw}) from None
    scope = p.get("scope", "")
    typed = scope == BorrowerScope.OUTSIDER
    return LoanRequest(
        letter_id=letter.pk, medium=p.get("medium", ""), scope=scope, due=due, purpose=p.get("purpose", ""),
        borrower_id=None if typed else _person_id(p.get("borrower")),
        borrower_name=p.get("borrower_name", "") if typed else "", borrower_position=p.get("borrower_position", ""),
        borrower_agency=p.get("borrower_agency", "") if typed else "", receiver_name=p.get("receiver_name", ""),
        approver_id=_person_id(p.get("approver")) if scope != BorrowerScope.INTERNAL else None,
        file_code=p.get("file_code", ""))


FIELDS = ("medium", "scope", "due", "purpose", "borrower", "borrower_name", "borrower_position", "borrower_agency",
          "receiver_name", "approver")


@login_required
@require_POST
def lend_letter(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    letter = _letter(request, letter_id)
    if not can_lend(principal_for(signed_in(request)), letter):
        raise PermissionDenied
    back = f"/letters/{letter.pk}/"
    post = request.POST

    def do() -> str:
        lend(signed_in(request), _request(letter, post))
        return back

    return once.form(request, {"lend": str(letter.pk), **{k: post.get(k, "") for k in FIELDS}}, do, back=back,
                     ok=("บันทึกการให้ยืมแล้ว", "The loan is recorded"))


@login_required
@require_POST
def return_letter(request: HttpRequest, loan_id: uuid.UUID) -> HttpResponse:
    loan, p = _loan(request, loan_id)
    own = loan.borrower_id is not None and loan.borrower_id == p.person_id and loan.medium == LoanMedium.ELECTRONIC
    if not (own or can_lend(p, loan.letter)):
        raise PermissionDenied
    back = f"/letters/{loan.letter_id}/"
    returner = request.POST.get("returner_name", "")

    def do() -> str:
        return_loan(signed_in(request), loan.pk, returner)
        return back

    return once.form(request, {"return": str(loan.pk), "returner": returner}, do, back=back,
                     ok=("บันทึกการส่งคืนแล้ว", "The return is recorded"))


@login_required
@require_POST
def certify(request: HttpRequest, loan_id: uuid.UUID) -> HttpResponse:
    loan, p = _loan(request, loan_id)
    if not can_lend(p, loan.letter):
        raise PermissionDenied
    back = f"/letters/{loan.letter_id}/"
    pin = request.POST.get("pin") or None

    def do() -> str:
        from saraban.records.actions.copies import certify_copy  # signing (pyHanko) on first use

        certify_copy(signed_in(request), loan.pk, pin=pin)
        return back

    return once.form(request, {"certify": str(loan.pk)}, do, back=back,
                     ok=("ทำสำเนาถูกต้องและลงลายมือชื่อแล้ว", "The certified copy is made and signed"))


@login_required
def copy_download(request: HttpRequest, copy_id: uuid.UUID) -> HttpResponseBase:
    """A certified copy's signed PDF, for whoever may see its loan; a classified letter's copy is read-logged."""
    copy = CertifiedCopy.objects.select_related("loan__letter__unit", "blob", "source").filter(pk=copy_id).first()
    user = signed_in(request)
    if copy is None or not can_view_loan(principal_for(user), copy.loan):
        raise Http404
    record_read(user, copy.loan.letter, copy.blob, via="web.records.certified_copy", role="certified_copy")
    return blob_response(copy.blob, f"สำเนาถูกต้อง-{copy.source.name}", inline=request.GET.get("download") != "1")


@login_required
@require_POST
def regrade_letter(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    letter = _letter(request, letter_id)
    if not may_regrade(principal_for(signed_in(request)), letter):
        raise PermissionDenied
    back = f"/letters/{letter.pk}/"
    post = request.POST
    to, reason, authority = post.get("to", ""), post.get("reason", ""), post.get("authority", "")

    def do() -> str:
        regrade(signed_in(request), letter.pk, to, reason, authority)
        return back

    return once.form(request, {"regrade": str(letter.pk), "to": to, "reason": reason, "authority": authority}, do,
                     back=back, ok=("บันทึกการปรับชั้นความลับแล้ว", "The secrecy class is changed"))
