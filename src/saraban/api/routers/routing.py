"""/api/v1/routing: distribution, endorsement, assignment and follow-up, circulars, route templates,
the holiday calendar and notification settings.  Mutating calls honour ``Idempotency-Key``."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from saraban.api.auth import caller
from saraban.kernel import clock
from saraban.kernel.errors import InvalidInput, NotFound
from saraban.letters.queries import letter_for
from saraban.orgs.models import Unit
from saraban.routing import actions, calendar, queries
from saraban.routing.errors import NotAllowed
from saraban.routing.models import Endorsement, Holiday, Notification, NotifyPreference, RouteTemplate, Step
from saraban.transport import once

from .. import serialize
from ..schemas import Error, RegistrationOut
from ..schemas.routing import (
    AssignIn,
    CopyIn,
    DistributeIn,
    DueOut,
    EndorsedOut,
    EndorseIn,
    FollowUpOut,
    HolidayIn,
    HolidayOut,
    NoteIn,
    NotificationOut,
    PreferencesIn,
    PreferencesOut,
    ReadOut,
    RemovedOut,
    ReturnIn,
    RouteOut,
    RouteTemplateOut,
    SavedOut,
    StepOut,
    TemplateIn,
    WorkOut,
)

router = Router(tags=["routing"], by_alias=True)  # StepOut.from_ is "from"
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


def step_out(s: Step) -> dict[str, Any]:
    today = clock.today()
    return {
        "id": str(s.pk), "letter_id": str(s.letter_id), "kind": s.kind, "status": s.status,
        "to": s.to_label, "to_unit": s.to_unit.code if s.to_unit_id and s.to_unit else None,
        "to_position": s.to_position.code if s.to_position_id and s.to_position else None,
        "to_person": str(s.to_person_id) if s.to_person_id else None, "acting": s.acting,
        "from": s.sender_label, "instruction": s.instruction, "working_days": s.working_days,
        "due_date": s.due_date, "overdue": bool(s.due_date and s.due_date < today and s.is_open),
        "sent_at": s.sent_at, "opened_at": s.opened_at, "acknowledged_at": s.acknowledged_at, "done_at": s.done_at,
        "closed_at": s.closed_at, "result": s.result, "acted_acting": s.acted_acting, "parent": s.parent_id,
    }


def endorsement_out(e: Endorsement) -> dict[str, Any]:
    return {"id": str(e.pk), "letter_id": str(e.letter_id), "text": e.text, "typed_name": e.typed_name,
            "position": e.position_title, "acting_for": e.acting_for, "to": e.target_label,
            "follows": str(e.follows_id) if e.follows_id else None, "step": str(e.step_id) if e.step_id else None,
            "created_at": e.created_at}


def _json(data: Any) -> Any:
    """JSON-safe, dates and times as ``str()`` gives them (what an idempotent replay gives back)."""
    return json.loads(json.dumps(data, default=str, ensure_ascii=False))


def _do(request: HttpRequest, parts: dict[str, Any], fn: Any, status: int = 200) -> Status:
    return once.api(request, parts, lambda: _json(fn()), status)


def _parts(letter_id: uuid.UUID, payload: Schema | None = None, **extra: Any) -> dict[str, Any]:
    return {"letter": str(letter_id), "payload": payload.model_dump(mode="json") if payload else None, **extra}


# ---- reading -------------------------------------------------------------------------------------

@router.get("/inbox", response={200: list[WorkOut], **ERRORS}, summary="My work: open steps by urgency, then due date")
def inbox(request: HttpRequest):
    return Status(200, _json([{**step_out(w.step), "subject": w.letter.subject, "urgency": w.letter.urgency,
                               "days_left": w.days_left} for w in queries.my_work(caller(request))]))


@router.get("/follow-up", response={200: list[FollowUpOut], **ERRORS}, summary="What I handed out and is still open")
def follow_up(request: HttpRequest):
    return Status(200, _json([{**step_out(w.step), "subject": w.letter.subject}
                              for w in queries.assigned_by_me(caller(request))]))


@router.get("/letters/{letter_id}", response={200: RouteOut, **ERRORS}, summary="A letter's route and endorsements")
def route_of(request: HttpRequest, letter_id: uuid.UUID):
    letter = letter_for(caller(request), letter_id)
    circ = queries.circular_state(letter)
    return Status(200, _json({
        "steps": [step_out(s) for s in queries.steps_of(letter)],
        "endorsements": [endorsement_out(e) for e in queries.endorsements_of(letter)],
        "circular": {"total": circ.total, "read": [step_out(s) for s in circ.read],
                     "unread": [step_out(s) for s in circ.unread]} if circ else None,
        "templates": [{"id": str(t.pk), "name": t.name} for t in queries.templates_for(letter)],
    }))


# ---- acting on a letter --------------------------------------------------------------------------

@router.post("/letters/{letter_id}/distribute", response={201: list[StepOut], **ERRORS},
             summary="Send to units, positions or people (or circulate to everyone in them)")
def distribute(request: HttpRequest, letter_id: uuid.UUID, payload: DistributeIn):
    user = caller(request)
    letter = letter_for(user, letter_id)
    targets = [t.target() for t in payload.targets]

    def fn() -> Any:
        if payload.mode == "circular":
            return [step_out(s) for s in actions.send_circular(user, letter, targets, note=payload.instruction)]
        return [step_out(s) for s in actions.distribute(user, letter, targets, instruction=payload.instruction)]

    return _do(request, _parts(letter_id, payload), fn, 201)


@router.post("/letters/{letter_id}/endorse", response={201: EndorsedOut, **ERRORS},
             summary="Endorse (เกษียน), optionally assigning in the same call")
def endorse(request: HttpRequest, letter_id: uuid.UUID, payload: EndorseIn):
    letter = letter_for(caller(request), letter_id)

    def fn() -> Any:
        e = actions.endorse(caller(request), letter, payload.text, step_id=payload.step, follows_id=payload.follows,
                            assign_to=[t.target() for t in payload.assign_to], instruction=payload.instruction,
                            working_days=payload.working_days, due_date=payload.due_date)
        return {**endorsement_out(e), "assigned": [step_out(s) for s in getattr(e, "assigned", [])]}

    return _do(request, _parts(letter_id, payload), fn, 201)


@router.post("/letters/{letter_id}/assign", response={201: list[StepOut], **ERRORS},
             summary="Assign with an instruction and a due date in working days")
def assign(request: HttpRequest, letter_id: uuid.UUID, payload: AssignIn):
    letter = letter_for(caller(request), letter_id)
    return _do(request, _parts(letter_id, payload), lambda: [step_out(s) for s in actions.assign(
        caller(request), letter, [t.target() for t in payload.targets], instruction=payload.instruction,
        working_days=payload.working_days, due_date=payload.due_date, step_id=payload.step)], 201)


@router.post("/letters/{letter_id}/templates/{template_id}", response={201: list[StepOut], **ERRORS},
             summary="Route by an administrator's template")
def apply_template(request: HttpRequest, letter_id: uuid.UUID, template_id: uuid.UUID):
    letter = letter_for(caller(request), letter_id)
    template = RouteTemplate.objects.filter(pk=template_id).first()
    if template is None:
        raise NotFound("ไม่พบแม่แบบเส้นทาง", "Route template not found", code="template_not_found")
    return _do(request, _parts(letter_id, template=str(template_id)),
               lambda: [step_out(s) for s in actions.apply_template(caller(request), letter, template)], 201)


@router.post("/letters/{letter_id}/open", response={200: list[StepOut], **ERRORS},
             summary="Record that I opened the letter (the web page does this itself)")
def open_letter(request: HttpRequest, letter_id: uuid.UUID):
    letter = letter_for(caller(request), letter_id)
    if not actions.unopened_for(caller(request), letter):
        return Status(200, [])
    return Status(200, _json([step_out(s) for s in actions.open_steps(caller(request), letter)]))


@router.post("/letters/{letter_id}/steps/{step_id}/acknowledge", response={200: StepOut, **ERRORS},
             summary="Acknowledge a step sent to me")
def acknowledge(request: HttpRequest, letter_id: uuid.UUID, step_id: uuid.UUID, payload: NoteIn):
    letter = letter_for(caller(request), letter_id)
    return _do(request, _parts(letter_id, payload, step=str(step_id)), lambda: step_out(
        actions.acknowledge(caller(request), letter, step_id, note=payload.note)))


@router.post("/letters/{letter_id}/steps/{step_id}/done", response={200: StepOut, **ERRORS},
             summary="Report a step done, with what was done")
def done(request: HttpRequest, letter_id: uuid.UUID, step_id: uuid.UUID, payload: NoteIn):
    letter = letter_for(caller(request), letter_id)
    return _do(request, _parts(letter_id, payload, step=str(step_id)), lambda: step_out(
        actions.report_done(caller(request), letter, step_id, result=payload.note)))


@router.post("/letters/{letter_id}/steps/{step_id}/return", response={200: StepOut, **ERRORS},
             summary="Return a step to its sender, with the reason")
def return_step(request: HttpRequest, letter_id: uuid.UUID, step_id: uuid.UUID, payload: ReturnIn):
    letter = letter_for(caller(request), letter_id)
    return _do(request, _parts(letter_id, payload, step=str(step_id)), lambda: step_out(
        actions.return_step(caller(request), letter, step_id, reason=payload.reason)))


@router.post("/letters/{letter_id}/steps/{step_id}/recall", response={200: StepOut, **ERRORS},
             summary="Recall a step I sent")
def recall(request: HttpRequest, letter_id: uuid.UUID, step_id: uuid.UUID):
    letter = letter_for(caller(request), letter_id)
    return _do(request, _parts(letter_id, step=str(step_id)), lambda: step_out(
        actions.recall(caller(request), letter, step_id)))


@router.post("/letters/{letter_id}/remind", response={200: list[StepOut], **ERRORS},
             summary="Remind everyone who has not opened it yet")
def remind(request: HttpRequest, letter_id: uuid.UUID):
    letter = letter_for(caller(request), letter_id)
    return _do(request, _parts(letter_id, remind=True),
               lambda: [step_out(s) for s in actions.remind_unread(caller(request), letter)])


@router.post("/letters/{letter_id}/register-copy", response={201: RegistrationOut, **ERRORS},
             summary="Register the letter in the receiving unit's own book")
def register_copy(request: HttpRequest, letter_id: uuid.UUID, payload: CopyIn):
    letter = letter_for(caller(request), letter_id)
    unit = Unit.objects.filter(code=payload.unit).first()
    if unit is None:
        raise InvalidInput("ไม่พบหน่วยงานที่ระบุ", "Unknown unit", code="unknown_unit")
    user = caller(request)
    return _do(request, _parts(letter_id, payload), lambda: json.loads(RegistrationOut(
        **serialize.registration(actions.register_received_copy(user, letter, unit))).model_dump_json()), 201)


# ---- calendar and templates ----------------------------------------------------------------------

def _holiday(h: Holiday) -> dict[str, Any]:
    return {"day": h.day, "name_th": h.name_th, "name_en": h.name_en, "kind": h.kind}


@router.get("/holidays/{year}", response={200: list[HolidayOut], **ERRORS},
            summary="Government holidays of a B.E. year")
def holidays(request: HttpRequest, year: int):
    if not 2400 <= year <= 2800:
        raise InvalidInput("ปีต้องเป็นปีพุทธศักราช เช่น 2569", "The year must be a B.E. year such as 2569",
                           code="invalid_year")
    return Status(200, _json([_holiday(h) for h in Holiday.objects.filter(day__year=year - 543)]))


@router.post("/holidays", response={201: HolidayOut, **ERRORS}, summary="Add a holiday (administrators)")
def add_holiday(request: HttpRequest, payload: HolidayIn):
    return _do(request, {"payload": payload.model_dump(mode="json")}, lambda: _holiday(actions.add_holiday(
        caller(request), payload.day, payload.name_th, name_en=payload.name_en, kind=payload.kind)), 201)


@router.delete("/holidays/{day}", response={200: RemovedOut, **ERRORS}, summary="Remove a holiday (administrators)")
def remove_holiday(request: HttpRequest, day: dt.date):
    return _do(request, {"day": day.isoformat()},
               lambda: (actions.remove_holiday(caller(request), day), {"removed": day.isoformat()})[1])


@router.get("/working-days", response={200: DueOut, **ERRORS}, summary="The due date N working days after a day")
def working_days(request: HttpRequest, days: int, start: dt.date | None = None):
    if not 0 < days <= calendar.MAX_WORKING_DAYS:
        raise InvalidInput("จำนวนวันทำการต้องอยู่ระหว่าง 1 ถึง 365", "days must be 1 to 365", code="invalid_due")
    start = start or clock.today()
    return Status(200, _json({"start": start, "days": days, "due": calendar.add_working_days(start, days)}))


@router.get("/templates", response={200: list[RouteTemplateOut], **ERRORS}, summary="Route templates in use")
def templates(request: HttpRequest):
    out = []
    for t in RouteTemplate.objects.filter(active=True).select_related("unit").prefetch_related("steps"):
        out.append({"id": str(t.pk), "unit": t.unit.code, "kind": t.kind, "name": t.name, "steps": [
            {"order": s.order, "kind": s.kind, "position": s.to_position.code if s.to_position_id else None,
             "unit": s.to_unit.code if s.to_unit_id else None, "instruction": s.instruction,
             "working_days": s.working_days} for s in t.steps.select_related("to_position", "to_unit")]})
    return Status(200, out)


@router.post("/templates", response={201: SavedOut, **ERRORS}, summary="Save a route template (administrators)")
def save_template(request: HttpRequest, payload: TemplateIn):
    unit = Unit.objects.filter(code=payload.unit).first()
    if unit is None:
        raise InvalidInput("ไม่พบหน่วยงานที่ระบุ", "Unknown unit", code="unknown_unit")
    steps = [s.model_dump() for s in payload.steps]
    return _do(request, {"payload": payload.model_dump(mode="json")}, lambda: {"id": str(actions.save_template(
        caller(request), unit, payload.name, steps, kind=payload.kind).pk)}, 201)


# ---- me ------------------------------------------------------------------------------------------

@router.get("/notifications", response={200: list[NotificationOut], **ERRORS},
            summary="My notifications, newest first (unread only unless ?unread=false)")
def notifications(request: HttpRequest, unread: bool = True):
    person = queries.person_for(caller(request))
    if person is None:
        raise NotAllowed("ผู้ใช้นี้ไม่มีข้อมูลบุคลากร", "This user has no person record")
    qs = Notification.objects.filter(person=person)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return Status(200, _json([{"id": str(n.pk), "event": n.event, "title": n.title, "body": n.body, "url": n.url,
                               "letter_id": str(n.letter_id) if n.letter_id else None, "created_at": n.created_at,
                               "read_at": n.read_at} for n in qs[:200]]))


@router.post("/notifications/read", response={200: ReadOut, **ERRORS}, summary="Mark all my notifications read")
def notifications_read(request: HttpRequest):
    return Status(200, {"read": actions.mark_read(caller(request))})


@router.get("/preferences", response={200: PreferencesOut, **ERRORS}, summary="My notification settings")
def get_preferences(request: HttpRequest):
    person = queries.person_for(caller(request))
    if person is None:
        raise NotAllowed("ผู้ใช้นี้ไม่มีข้อมูลบุคลากร", "This user has no person record")
    pref = NotifyPreference.objects.filter(person=person).first() or NotifyPreference(person=person)
    return Status(200, {"email": pref.email, "line": pref.line, "line_user_id": pref.line_user_id,
                        "mode": pref.mode, "digest_hour": pref.digest_hour})


@router.put("/preferences", response={200: PreferencesOut, **ERRORS},
            summary="Choose channels (in-app, e-mail, LINE), digest")
def put_preferences(request: HttpRequest, payload: PreferencesIn):
    pref = actions.set_preferences(caller(request), email=payload.email, line=payload.line,
                                   line_user_id=payload.line_user_id, mode=payload.mode,
                                   digest_hour=payload.digest_hour)
    return Status(200, {"email": pref.email, "line": pref.line, "line_user_id": pref.line_user_id,
                        "mode": pref.mode, "digest_hour": pref.digest_hour})
