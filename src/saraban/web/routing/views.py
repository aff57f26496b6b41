"""Routing pages: "my work", the routing panels of the letter page and their forms, holidays, templates and
notification settings.  Views only parse, call an action and redirect; every POST is guarded against a
double submit by its form token."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from saraban.access.principal import principal_for
from saraban.kernel import clock
from saraban.kernel.actor import signed_in
from saraban.kernel.errors import NotFound
from saraban.kernel.thai import parse_user_date
from saraban.letters import queries as letter_queries
from saraban.letters.enclosures import Upload
from saraban.letters.models import Letter
from saraban.letters.reads import record_read
from saraban.orgs.models import Unit
from saraban.routing import actions, policy, queries
from saraban.routing.models import Holiday, NotifyPreference, ReportFile, RouteTemplate
from saraban.routing.resolve import Target, person_by_ref
from saraban.storage import blobs
from saraban.transport import once
from saraban.transport.http import file_response
from saraban.web import bulk

from .panels import target_choices


def _letter(request: HttpRequest, letter_id: uuid.UUID) -> Letter:
    try:
        return letter_queries.letter_for(request.user, letter_id)
    except NotFound as exc:
        raise Http404 from exc


def _back(letter: Letter) -> str:
    return f"/letters/{letter.pk}/"


def _run(request: HttpRequest, letter: Letter | None, parts: dict[str, Any], fn: Callable[[], str],
         ok: tuple[str, str], back: str | None = None) -> HttpResponse:
    """Run the action once per form token; success and errors come back as messages on the page."""
    return once.form(request, parts, fn, ok=ok, back=back or (_back(letter) if letter else "/inbox/"))


def targets_from(values: list[str]) -> list[Target]:
    """Form values ``unit:ops-ict``, ``position:ops-ict-director``, ``person:<id>``."""
    out = []
    for v in values:
        kind, _, ref = v.partition(":")
        if kind in ("unit", "position", "person") and ref:
            out.append(Target(**{kind: ref}))
    return out


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return parse_user_date(value)
    except ValueError:
        return None


# ---- my work -------------------------------------------------------------------------------------

@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    work, followup = list(queries.my_work(request.user)), list(queries.assigned_by_me(request.user))
    person = queries.person_for(request.user)
    record_read(signed_in(request), None, via="web.inbox", role="listing", listed=[w.letter for w in work + followup])
    return render(request, "routing/inbox.html", {
        "work": work, "followup": followup, "counts": {
            "waiting": len(work), "overdue": sum(1 for w in work if w.overdue),
            "due_soon": sum(1 for w in work if w.days_left is not None and 0 <= w.days_left <= 1)},
        "notifications": queries.unread_notifications(request.user), "today": clock.today(),
        "token": once.new_token(request), "bulk": bulk.take_summary(request),
        "choices": target_choices(None, person.home_unit.agency_id) if person and work else None,
    })


@login_required
@require_POST
def inbox_bulk(request: HttpRequest) -> HttpResponse:
    """Act on several items of "my work" at once: send them on to the same people or units, or acknowledge them
    (each letter its own action; a failure is reported and the item stays in the list)."""
    verb = request.POST.get("verb", "")
    ids = set(request.POST.getlist("step")[:100])
    work = {str(w.step.pk): w for w in queries.my_work(signed_in(request)) if str(w.step.pk) in ids}
    targets = targets_from(request.POST.getlist("target"))
    note = request.POST.get("instruction", "")

    def job(step_id: str) -> bulk.Job:
        w = work.get(step_id)

        def act() -> tuple[str, str, str]:
            if w is None:
                raise NotFound("ไม่พบรายการนี้ในงานของท่าน (อาจดำเนินการไปแล้ว)", "Not in your work (done already?)")
            if verb == "acknowledge":
                actions.acknowledge(signed_in(request), w.letter, w.step.pk)
                return "รับทราบแล้ว", "acknowledged", _back(w.letter)
            if verb != "distribute":
                raise NotFound("ไม่รู้จักคำสั่งนี้", "Unknown action")
            steps = actions.distribute(signed_in(request), w.letter, targets, instruction=note)
            to = ", ".join(s.to_label for s in steps)
            return f"ส่งถึง {to} แล้ว", f"sent to {to}", _back(w.letter)

        label = "-" if w is None else w.letter.subject if not w.letter.is_classified else "หนังสือชั้นความลับ"
        return step_id, label, act

    what = (("รับทราบหลายรายการ", "Acknowledge several") if verb == "acknowledge"
            else ("ส่งต่อหลายรายการ", "Send on several"))
    return bulk.run(request, what, [job(i) for i in request.POST.getlist("step")[:100]], "/inbox/")


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    return _run(request, None, {"all": True}, lambda: (actions.mark_read(request.user), "/inbox/")[1],
                ("อ่านแล้ว", "Marked read"))


# ---- letter-page forms ---------------------------------------------------------------------------

@login_required
@require_POST
def distribute(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    letter = _letter(request, letter_id)
    values = request.POST.getlist("target")
    note = request.POST.get("instruction", "")
    kind = request.POST.get("mode", "distribute")

    def do() -> str:
        targets = targets_from(values)
        if kind == "circular":
            actions.send_circular(request.user, letter, targets, note=note)
        else:
            actions.distribute(request.user, letter, targets, instruction=note)
        return _back(letter)

    return _run(request, letter, {"letter": str(letter.pk), "t": values, "n": note, "k": kind}, do,
                ("ส่งหนังสือแล้ว", "Sent"))


@login_required
@require_POST
def endorse(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    letter = _letter(request, letter_id)
    post = request.POST
    assignee = post.get("assignee", "")
    phrase = post.get("phrase", "") or post.get("text", "")
    extra = post.get("text", "") if post.get("phrase") else ""
    targets = targets_from([assignee]) if assignee else []
    who = person_by_ref(targets[0].person) if targets and targets[0].person else None
    body = phrase.replace("…", who.full_name_th if who else "").strip() if "…" in phrase else phrase
    body = " ".join(body.split()) if "…" in phrase else body
    if extra and extra != phrase:
        body = f"{body} {extra}".strip()
    days = _int(post.get("working_days")) or (3 if targets else None)

    def do() -> str:
        actions.endorse(request.user, letter, body, step_id=post.get("step") or None,
                        follows_id=post.get("follows") or None, assign_to=targets, working_days=days,
                        due_date=None)
        return _back(letter)

    return _run(request, letter, {"letter": str(letter.pk), "b": body, "a": assignee, "d": days}, do,
                ("บันทึกเกษียนแล้ว", "Endorsed"))


@login_required
@require_POST
def assign(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    letter = _letter(request, letter_id)
    post = request.POST
    values = post.getlist("target")

    def do() -> str:
        actions.assign(request.user, letter, targets_from(values), instruction=post.get("instruction", ""),
                       working_days=_int(post.get("working_days")), due_date=_date(post.get("due_date")),
                       step_id=post.get("step") or None)
        return _back(letter)

    return _run(request, letter, {"letter": str(letter.pk), "t": values, "i": post.get("instruction", "")}, do,
                ("มอบหมายแล้ว", "Assigned"))


@login_required
@require_POST
def step_verb(request: HttpRequest, letter_id: uuid.UUID, step_id: uuid.UUID, verb: str) -> HttpResponse:
    letter = _letter(request, letter_id)
    note = request.POST.get("note", "")
    u = request.user
    files = [Upload(f.read(), f.name or "file") for f in request.FILES.getlist("files")] if verb == "done" else []
    fns: dict[str, tuple[Callable[[], Any], tuple[str, str]]] = {
        "acknowledge": (lambda: actions.acknowledge(u, letter, step_id, note=note), ("รับทราบแล้ว", "Acknowledged")),
        "done": (lambda: actions.report_done(u, letter, step_id, result=note, files=files),
                 ("รายงานผลแล้ว", "Reported done")),
        "return": (lambda: actions.return_step(request.user, letter, step_id, reason=note), ("ส่งคืนแล้ว", "Returned")),
        "recall": (lambda: actions.recall(request.user, letter, step_id), ("เรียกคืนแล้ว", "Recalled")),
    }
    if verb not in fns:
        raise Http404
    fn, ok = fns[verb]
    return _run(request, letter, {"letter": str(letter.pk), "s": str(step_id), "v": verb, "n": note,
                                  "f": [once.file_digest(f.data) for f in files]},
                lambda: (fn(), _back(letter))[1], ok)


@login_required
def report_file(request: HttpRequest, letter_id: uuid.UUID, step_id: uuid.UUID, file_id: uuid.UUID) -> HttpResponse:
    """A file of a completion report (seen by whoever sees the letter; a classified letter's read is logged)."""
    letter = _letter(request, letter_id)
    f = ReportFile.objects.select_related("blob").filter(pk=file_id, step_id=step_id, step__letter=letter).first()
    if f is None:
        raise Http404
    record_read(signed_in(request), letter, f.blob, role="report_file", via="web.report_file")
    return file_response(blobs.read(f.blob), f.name, f.blob.content_type, f.blob.sha256,
                         inline=request.GET.get("download") != "1")


@login_required
@require_POST
def remind(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    letter = _letter(request, letter_id)
    return _run(request, letter, {"letter": str(letter.pk), "remind": True},
                lambda: (actions.remind_unread(request.user, letter), _back(letter))[1],
                ("ส่งการเตือนแล้ว", "Reminder sent"))


@login_required
@require_POST
def apply_template(request: HttpRequest, letter_id: uuid.UUID, template_id: uuid.UUID) -> HttpResponse:
    letter = _letter(request, letter_id)
    template = RouteTemplate.objects.filter(pk=template_id).first()
    if template is None:
        raise Http404
    return _run(request, letter, {"letter": str(letter.pk), "template": str(template_id)},
                lambda: (actions.apply_template(request.user, letter, template), _back(letter))[1],
                ("เสนอตามเส้นทางแล้ว", "Routed"))


@login_required
@require_POST
def register_copy(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    letter = _letter(request, letter_id)
    unit = Unit.objects.filter(code=request.POST.get("unit", "")).first()
    if unit is None:
        raise Http404

    def do() -> str:
        entry = actions.register_received_copy(request.user, letter, unit)
        messages.info(request, f"เลขรับของ {unit.short_name_th or unit.name_th}: {entry.display}|"
                               f"Receipt number of {unit.code}: {entry.display}")
        return _back(letter)

    return _run(request, letter, {"letter": str(letter.pk), "unit": unit.code}, do,
                ("ลงทะเบียนรับแล้ว", "Registered"))


# ---- administration and settings -----------------------------------------------------------------

@login_required
def holidays(request: HttpRequest) -> HttpResponse:
    p = principal_for(request.user)
    year = _int(request.GET.get("year")) or clock.year_be()
    if request.method == "POST":
        day = _date(request.POST.get("day"))
        if request.POST.get("remove"):
            return _run(request, None, {"remove": str(day)},
                        lambda: (actions.remove_holiday(request.user, day), f"/routing/holidays/?year={year}")[1]
                        if day else "", ("ลบวันหยุดแล้ว", "Holiday removed"), back=f"/routing/holidays/?year={year}")
        name = request.POST.get("name_th", "")

        def add() -> str:
            if day is None:
                from saraban.routing.errors import InvalidDue

                raise InvalidDue("วันที่ไม่ถูกต้อง (เช่น 14/5/2569)", "Invalid date (e.g. 14/5/2569)")
            actions.add_holiday(request.user, day, name, name_en=request.POST.get("name_en", ""),
                                kind=request.POST.get("kind", "local"))
            return f"/routing/holidays/?year={year}"

        return _run(request, None, {"add": str(day), "n": name}, add, ("เพิ่มวันหยุดแล้ว", "Holiday added"),
                    back=f"/routing/holidays/?year={year}")
    days = Holiday.objects.filter(day__year=year - 543)
    return render(request, "routing/holidays.html", {
        "year": year, "days": days, "can_edit": policy.can_admin_routing(p), "token": once.new_token(request),
        "kinds": Holiday.Kind.choices,
    })


@login_required
def templates(request: HttpRequest) -> HttpResponse:
    p = principal_for(request.user)
    if request.method == "POST":
        unit = Unit.objects.filter(code=request.POST.get("unit", "")).first()
        rows = []
        for i in range(1, 6):
            target = request.POST.get(f"step{i}", "")
            if target:
                kind, _, ref = target.partition(":")
                rows.append({kind: ref, "kind": request.POST.get(f"kind{i}") or "propose",
                             "instruction": request.POST.get(f"instruction{i}", ""),
                             "working_days": _int(request.POST.get(f"days{i}"))})

        def save() -> str:
            if unit is None:
                from saraban.routing.errors import UnknownTarget

                raise UnknownTarget(details={"unit": request.POST.get("unit", "")})
            actions.save_template(request.user, unit, request.POST.get("name", ""), rows,
                                  kind=request.POST.get("kind", ""))
            return "/routing/templates/"

        return _run(request, None, {"t": dict(request.POST.lists())}, save, ("บันทึกแม่แบบแล้ว", "Template saved"),
                    back="/routing/templates/")
    from saraban.kernel.models import LetterKind

    return render(request, "routing/templates.html", {
        "templates": RouteTemplate.objects.filter(active=True).select_related("unit").prefetch_related(
            "steps__to_position", "steps__to_unit", "steps__to_person"),
        "can_edit": policy.can_admin_routing(p), "units": Unit.objects.filter(pk__in=p.units("admin"))
        if not p.is_superuser else Unit.objects.all(),
        "kinds": LetterKind.choices, "choices": target_choices(None), "token": once.new_token(request),
        "rows": range(1, 6),
    })


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    person = queries.person_for(request.user)
    if person is None:
        raise Http404
    if request.method == "POST":
        post = request.POST

        def save() -> str:
            actions.set_preferences(request.user, email=post.get("email") == "on", line=post.get("line") == "on",
                                    mode=post.get("mode", "each"),
                                    digest_hour=_int(post.get("digest_hour")) or 7)
            return "/routing/settings/"

        return _run(request, None, {"p": dict(post.lists())}, save, ("บันทึกแล้ว", "Saved"), back="/routing/settings/")
    pref = NotifyPreference.objects.filter(person=person).first() or NotifyPreference(person=person)
    return render(request, "routing/preferences.html", {"pref": pref, "person": person,
                                                        "token": once.new_token(request)})
