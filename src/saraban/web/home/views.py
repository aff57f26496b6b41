"""Each role's landing page: ``/`` sends the registrar to the desk, an executive to "for my decision", an
administrator to the agency's health and settings, everyone else to "my work".  A person with several roles
lands on the first of these they hold and reaches the others from the top bar."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from saraban.access.principal import DESK_ROLES, Principal, principal_for
from saraban.drafting import policy as drafting_policy
from saraban.drafting.models import Draft
from saraban.kernel.actor import signed_in
from saraban.kernel.models import Urgency
from saraban.letters.reads import record_read
from saraban.orgs.models import Role
from saraban.routing import queries

LANDINGS = [  # (the role's test, where it lands): the first that holds wins
    (lambda p: bool(p.units(*DESK_ROLES)), "/desk/"),
    (lambda p: bool(p.units(Role.EXECUTIVE)), "/decide/"),
    (lambda p: p.is_superuser or bool(p.units(Role.ADMIN)), "/manage/"),
]


def landing_for(p: Principal) -> str:
    return next((url for holds, url in LANDINGS if holds(p)), "/inbox/")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    url = landing_for(principal_for(request.user))
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{url}?{query}" if query else url)


def is_executive(request: HttpRequest) -> bool:
    return request.user.is_authenticated and bool(principal_for(request.user).units(Role.EXECUTIVE))


def _drafts_q(p: Principal) -> Q:
    return drafting_policy.drafts_to_review_q(p) | drafting_policy.drafts_to_sign_q(p)


def decide_count(request: HttpRequest) -> int:
    """Letters waiting for the executive and drafts for them to review or sign (the top bar's badge)."""
    p = principal_for(request.user)
    return queries.my_work_count(signed_in(request)) + Draft.objects.filter(_drafts_q(p)).count()


@login_required
def decide(request: HttpRequest) -> HttpResponse:
    """เพื่อพิจารณา: what waits for the executive's decision, the most urgent first, with the day's counts;
    the drafts to review or sign; and what they handed out, overdue first."""
    p = principal_for(request.user)
    work = queries.my_work(signed_in(request))
    followup = queries.assigned_by_me(signed_in(request))
    drafts = list(Draft.objects.filter(_drafts_q(p)).select_related("unit").order_by("-updated_at")[:100])
    record_read(signed_in(request), None, via="web.decide", role="listing",
                listed=[*(w.letter for w in work + followup), *drafts])
    counts = {
        "waiting": len(work), "urgent": sum(1 for w in work if w.letter.urgency != Urgency.NORMAL),
        "overdue": sum(1 for w in work if w.overdue), "drafts": len(drafts),
        "followup_overdue": sum(1 for w in followup if w.overdue),
    }
    return render(request, "home/decide.html", {"work": work, "followup": followup, "drafts": drafts,
                                                "counts": counts})
