"""Records pages: the file plan (edit, import, export), filing a letter, the storage register and transfer
list (forms 19, 20), the yearly destruction list and its steps (form 25), and the 20-year handover (forms 21,
22 and the archival package)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from saraban.kernel import clock
from saraban.kernel.actor import signed_in
from saraban.kernel.thai import parse_user_date
from saraban.letters import queries as letter_queries
from saraban.orgs.models import Agency, Person
from saraban.records import queries
from saraban.records import retention as rt
from saraban.records.actions import destruction as d
from saraban.records.actions import fileplan
from saraban.records.actions.filing import file_letter as do_file
from saraban.records.actions.filing import store_filings
from saraban.records.actions.handover import export_zip
from saraban.records.models import DestructionList, FileCode, Filing
from saraban.records.policy import agencies_for, is_head, is_keeper
from saraban.reports import records_forms as rf
from saraban.transport import once
from saraban.transport.http import content_disposition
from saraban.transport.limits import limited

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _agency(request: HttpRequest) -> Agency:
    mine = agencies_for(request.user)
    code = request.GET.get("agency") or request.POST.get("agency")
    for a in mine:
        if not code or a.code == code:
            return a
    raise Http404


def _date(value: str | None) -> dt.date | None:
    try:
        return parse_user_date(value) if value else None
    except ValueError:
        return None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    agency = _agency(request)
    year = clock.year_be()
    return render(request, "records/index.html", {
        "agency": agency, "agencies": agencies_for(request.user), "year": year, "last_year": year - 1,
        "filings": queries.filings(agency).order_by("-filed_at")[:200], "lists": queries.lists(agency),
        "due": len(d.due_filings(agency, year - 1)), "window": rt.list_window(year - 1),
        "handover_years": [year, year - 1], "keeper": is_keeper(request.user, agency),
        "token": once.new_token(request),
    })


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    agency = _agency(request)
    return render(request, "records/plan.html", {
        "agency": agency, "nodes": queries.file_plan(agency), "classes": list(rt.LABEL_TH.items()),
        "keeper": is_keeper(request.user, agency), "token": once.new_token(request)})


@login_required
@require_POST
def plan_save(request: HttpRequest) -> HttpResponse:
    agency = _agency(request)
    p = request.POST
    row = fileplan.CodeRow(code=p.get("code", "").strip(), title_th=p.get("title_th", "").strip(),
                           parent=p.get("parent", "").strip(), title_en=p.get("title_en", "").strip(),
                           retention=p.get("retention", "10y"), special_law=p.get("special_law", "").strip(),
                           special_years=int(p["special_years"]) if p.get("special_years", "").isdigit() else None,
                           basis=p.get("basis", "").strip())
    back = f"/records/plan/?agency={agency.code}"

    def do() -> str:
        fileplan.save_file_codes(signed_in(request), agency, [row])
        return back

    return once.form(request, {"plan": agency.code, **row.__dict__}, do, back=back,
                     ok=(f"บันทึกรหัสแฟ้ม {row.code} แล้ว", f"File code {row.code} saved"))


@login_required
@require_POST
def plan_import(request: HttpRequest) -> HttpResponse:
    agency = _agency(request)
    back = f"/records/plan/?agency={agency.code}"
    f = request.FILES.get("file")
    data, name = (f.read(), f.name or "") if f else (b"", "")

    def do() -> str:
        fileplan.save_file_codes(signed_in(request), agency, fileplan.parse(data, name), source="import")
        return back

    return once.form(request, {"plan-import": agency.code, "file": once.file_digest(data)}, do, back=back,
                     ok=("นำเข้าแผนแฟ้มแล้ว", "File plan imported"))


@login_required
def plan_export(request: HttpRequest, fmt: str) -> HttpResponse:
    agency = _agency(request)
    if fmt not in ("csv", "json"):
        raise Http404
    resp = HttpResponse(fileplan.export(agency, fmt),
                        content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/json")
    resp["Content-Disposition"] = content_disposition(f"แผนแฟ้ม {agency.name_th}.{fmt}",
                                                      fallback=f"file-plan-{agency.code}.{fmt}")
    return resp


@login_required
@require_POST
def file_letter(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    letter = letter_queries.letter_for(request.user, letter_id)
    back = f"/letters/{letter.pk}/"
    p = request.POST
    code = FileCode.objects.filter(pk=str(p.get("file_code"))).first() if _is_uuid(p.get("file_code")) else None
    if code is None:
        raise Http404

    def do() -> str:
        do_file(signed_in(request), letter, code, retention=p.get("retention", ""),
                special_law=p.get("special_law", ""), authorisation=p.get("authorisation", "").strip(),
                completed_on=_date(p.get("completed_on")), remark=p.get("remark", "").strip())
        return back

    return once.form(request, {"file": str(letter.pk), **{k: p.get(k, "") for k in (
        "file_code", "retention", "authorisation", "completed_on")}}, do, back=back,
        ok=("จัดเก็บหนังสือเข้าแฟ้มแล้ว", "The letter is filed"))


def _is_uuid(value: str | None) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@login_required
@require_POST
def store(request: HttpRequest) -> HttpResponse:
    agency = _agency(request)
    back = f"/records/?agency={agency.code}"
    ids = [i for i in request.POST.getlist("filing") if _is_uuid(i)]
    chosen = list(Filing.objects.filter(agency=agency, pk__in=ids))

    def do() -> str:
        store_filings(signed_in(request), chosen)
        return back

    return once.form(request, {"store": sorted(ids)}, do, back=back,
                     ok=("ลงทะเบียนหนังสือเก็บแล้ว", "Entered in the storage register"))


def _form(agency: Agency, form: str, year: int) -> rf.Form:
    if form == "19":
        return rf.form19(agency, list(queries.filings(agency, stored=False)))
    if form == "20":
        return rf.form20(agency, list(queries.filings(agency, stored=True)))
    if form == "21":
        return rf.form21(agency, year)
    if form == "22":
        return rf.form22(agency, year)
    raise Http404


def respond(form: rf.Form, fmt: str, name: str) -> HttpResponse:
    """The form as a file: named in Thai (its form number and title), ``name`` the ASCII fallback."""
    thai = f"{'แบบที่ ' + form.number + ' ' if form.number else ''}{form.title}"
    if fmt == "pdf":
        resp = HttpResponse(rf.to_pdf(form), content_type="application/pdf")
        resp["Content-Disposition"] = content_disposition(f"{thai}.pdf", inline=True, fallback=f"{name}.pdf")
        return resp
    if fmt == "csv":
        resp = HttpResponse(rf.to_csv(form), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        resp = HttpResponse(rf.to_xlsx(form), content_type=XLSX)
    else:
        raise Http404
    resp["Content-Disposition"] = content_disposition(f"{thai}.{fmt}", fallback=f"{name}.{fmt}")
    return resp


@login_required
@limited("export")
def form_export(request: HttpRequest, form: str, fmt: str) -> HttpResponse:
    agency = _agency(request)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else clock.year_be()
    return respond(_form(agency, form, year), fmt, f"form{form}-{agency.code}-{year}")


@login_required
@require_POST
def list_new(request: HttpRequest) -> HttpResponse:
    agency = _agency(request)
    year = int(request.POST.get("year", "0") or 0)
    holder: dict[str, Any] = {}

    def do() -> str:
        holder["list"] = d.make_destruction_list(signed_in(request), agency, year)
        return f"/records/lists/{holder['list'].pk}/"

    return once.form(request, {"list-new": agency.code, "year": year}, do, back=f"/records/?agency={agency.code}",
                     ok=(f"จัดทำบัญชีหนังสือขอทำลาย พ.ศ. {year} แล้ว", f"Destruction list {year} made"))


def _list(request: HttpRequest, list_id: uuid.UUID) -> DestructionList:
    dlist = DestructionList.objects.filter(pk=list_id).select_related("agency").first()
    if dlist is None:
        raise Http404
    member = dlist.committee.filter(person__user=signed_in(request)).exists()
    if dlist.agency not in agencies_for(request.user) and not member:
        raise Http404
    return dlist


@login_required
def list_detail(request: HttpRequest, list_id: uuid.UUID) -> HttpResponse:
    dlist = _list(request, list_id)
    me = dlist.committee.filter(person__user=signed_in(request)).first()
    return render(request, "records/list.html", {
        "dlist": dlist, "items": dlist.items.select_related("filing__letter", "filing__file_code"),
        "committee": dlist.committee.select_related("person"), "me": me,
        "head": is_head(request.user, dlist.agency), "keeper": is_keeper(request.user, dlist.agency),
        "people": Person.objects.filter(home_unit__agency=dlist.agency, user__isnull=False).order_by("first_name_th"),
        "today": clock.today(), "token": once.new_token(request)})


def _step_fn(request: HttpRequest, dlist: DestructionList, step: str) -> Any:
    actor, p = signed_in(request), request.POST
    if step == "appoint":
        chosen = {str(x) for x in p.getlist("members") if _is_uuid(x)}
        people = {str(x.pk): x for x in Person.objects.filter(pk__in=[*chosen, *([p["chair"]] if _is_uuid(
            p.get("chair")) else [])])}
        chair = people.get(p.get("chair", ""))
        if chair is None:
            raise Http404
        members = [people[m] for m in chosen if m in people and m != str(chair.pk)]
        return lambda: d.appoint_committee(actor, dlist, chair, members, p.get("order_ref", "").strip())
    if step == "decide":
        items = [str(i.pk) for i in dlist.items.all()]
        decisions = {i: p[f"d-{i}"] for i in items if p.get(f"d-{i}")}
        until = {i: int(p[f"u-{i}"]) for i in items if p.get(f"u-{i}", "").isdigit()}
        return lambda: d.decide_items(actor, dlist, decisions, new_keep_until=until)
    if step == "send":
        sent = _date(p.get("sent_on")) or clock.today()
        return lambda: d.send_list(actor, dlist, sent, p.get("sent_ref", "").strip())
    if step == "reply":
        return lambda: d.record_fad_reply(actor, dlist, _date(p.get("replied_on")) or clock.today())
    simple = {"sign": d.sign_list, "approve": d.approve_list, "destroy": d.destroy, "sign_record": d.sign_record}
    if step not in simple:
        raise Http404
    return lambda: simple[step](actor, dlist)


@login_required
@require_POST
def list_step(request: HttpRequest, list_id: uuid.UUID, step: str) -> HttpResponse:
    dlist = _list(request, list_id)
    back = f"/records/lists/{dlist.pk}/"
    fn = _step_fn(request, dlist, step)

    def do() -> str:
        fn()
        return back

    parts = {"list": str(dlist.pk), "step": step, **{k: request.POST.getlist(k) for k in request.POST if k != "once"}}
    parts.pop("csrfmiddlewaretoken", None)
    return once.form(request, parts, do, back=back, ok=("บันทึกแล้ว", "Saved"))


@login_required
def list_print(request: HttpRequest, list_id: uuid.UUID, which: str, fmt: str) -> HttpResponse:
    dlist = _list(request, list_id)
    form = rf.destruction_record(dlist) if which == "record" else rf.form25(dlist)
    return respond(form, fmt, f"{'destruction-record' if which == 'record' else 'form25'}-{dlist.year_be}")


@login_required
@limited("export")
def handover_zip(request: HttpRequest, year: int) -> HttpResponse:
    agency = _agency(request)
    data, name = export_zip(signed_in(request), agency, year)
    resp = HttpResponse(data, content_type="application/zip")
    resp["Content-Disposition"] = content_disposition(f"ชุดส่งมอบหนังสือครบ 20 ปี {agency.name_th} พ.ศ. {year}.zip",
                                                      fallback=f"{name}.zip")
    return resp
