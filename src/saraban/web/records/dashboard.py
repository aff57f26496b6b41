"""The executive dashboard (charts drawn as SVG on the server) and the loan register (form 24): view, print,
export.  Classified rows are read-logged (:func:`record_read`) whenever their subject is shown."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from saraban.access.principal import Principal, principal_for
from saraban.kernel import clock
from saraban.kernel.actor import signed_in
from saraban.letters.models import Letter
from saraban.letters.policy import can_view_letter
from saraban.letters.reads import record_read
from saraban.reports import dashboard as dash
from saraban.reports import dashboard_export as dash_export
from saraban.reports import loans as loan_report
from saraban.transport.http import content_disposition
from saraban.transport.limits import limited

CONTENT_TYPES = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or clock.year_be())
    except ValueError:
        raise Http404 from None
    if not 2500 <= year <= 2700:
        raise Http404
    return year


def _lang(request: HttpRequest) -> str:
    """The page's language: the exports stay Thai (official documents), the page follows the UI."""
    return "en" if getattr(request, "LANGUAGE_CODE", "th") == "en" else "th"


def _agency(p: Principal) -> str:
    from saraban.orgs.models import Agency

    agency = Agency.objects.filter(pk=p.agency_id).first() if p.agency_id else None
    return agency.name_th if agency else ""


def _shown(p: Principal, letters: list[Letter]) -> list[Letter]:
    """The letters whose subject the page shows (the reader may see them)."""
    return [x for x in letters if can_view_letter(p, x)]


def _loan_letters(p: Principal) -> list[Letter]:
    from saraban.records.models import Loan
    from saraban.records.policy import visible_loans_q

    return list(Letter.objects.filter(pk__in=Loan.objects.filter(visible_loans_q(p)).values("letter_id")))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    p = principal_for(user)
    d = dash.build(p, _year(request))
    record_read(user, None, via="web.records.dashboard", role="listing", listed=_shown(p, _loan_letters(p)))
    lang = _lang(request)
    charts = {k: mark_safe(v) for k, v in dash_export.charts(d, lang).items()}
    return render(request, "records/dashboard.html",
                  {"d": d, "charts": charts, "tables": dash_export.tables(d, lang)})


def _download(data: bytes, fmt: str, name: str, fallback: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    resp["Content-Disposition"] = content_disposition(f"{name}.{fmt}", inline=fmt == "pdf",
                                                      fallback=f"{fallback}.{fmt}")
    return resp


@login_required
@limited("export")
def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    user = signed_in(request)
    p = principal_for(user)
    d = dash.build(p, _year(request))
    record_read(user, None, via=f"web.records.dashboard.{fmt}", role="export", listed=_shown(p, _loan_letters(p)))
    return _download(dash_export.export(d, fmt, agency=_agency(p)), fmt, f"รายงานผู้บริหาร พ.ศ. {d.year_be}",
                     f"dashboard-{d.year_be}")



@login_required
def loans(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    p = principal_for(user)
    year = _year(request)
    items = loan_report.loans_of_year(p, year)
    record_read(user, None, via="web.records.loans", role="listing", listed=_shown(p, [x.letter for x in items]))
    table = loan_report.table(p, items, year, _lang(request))
    return render(request, "records/loans.html", {"table": table, "year": year})


@login_required
@limited("export")
def loans_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    user = signed_in(request)
    p = principal_for(user)
    year = _year(request)
    items = loan_report.loans_of_year(p, year)
    record_read(user, None, via=f"web.records.loans.{fmt}", role="export", listed=_shown(p, [x.letter for x in items]))
    return _download(loan_report.export(p, year, fmt, agency=_agency(p)), fmt, f"แบบที่ 24 ทะเบียนการยืมหนังสือ พ.ศ. {year}",
                     f"form24-loans-{year}")
