"""No classified word leaves by a side door (issue #14, finding "classified subjects leave by notification").

The attack: route a ลับ letter with an instruction, endorse it, return it, report on it, cancel it; then read
everything that left or was kept outside the letter's own rows — notifications (in-app, e-mail through a real
SMTP server, LINE through a fake LINE platform on loopback), the audit log and the logs.  None may carry the
subject, the instruction, the sender, an endorsement, a result or a reason.
"""

from __future__ import annotations

import json
import logging

import pytest

from saraban.audit.models import AuditEvent
from saraban.intake import actions as intake
from saraban.registry.actions import cancel_registration
from saraban.registry.validation import IntakeMetadata
from saraban.routing import actions as routing
from saraban.routing.models import Notification, Outbound, Step
from saraban.routing.notify.service import CLASSIFIED_TITLE
from saraban.routing.resolve import Target
from tests.fixtures import make_pdf, meta, user
from tests.routing.helpers import registered
from tests.routing.test_notify import link_line

pytestmark = pytest.mark.django_db

SUBJECT = "แผนเคลื่อนย้ายกำลังพลชายแดนด้านตะวันออก"
SENDER = "กองบัญชาการกองทัพไทยส่วนหน้า"
INSTRUCTION = "ให้จัดชุดเฝ้าระวังเพิ่มสามจุดทันที"
ENDORSEMENT = "อนุมัติตามเสนอ ให้ประสานกองทัพภาคที่หนึ่ง"
RESULT = "จัดชุดเฝ้าระวังครบสามจุดแล้ว"
REASON = "ต้องส่งผ่านช่องทางลับทางทหารเท่านั้น"
CANCEL = "ลงทะเบียนผิดเล่มเพราะเป็นสำเนาแผนเคลื่อนย้าย"
WORDS = (SUBJECT, SENDER, INSTRUCTION, ENDORSEMENT, RESULT, REASON, CANCEL)


def _leaks(text: str) -> list[str]:
    return [w for w in WORDS if w in text]


def _route_a_secret_letter(django_capture_on_commit_callbacks) -> tuple:
    with django_capture_on_commit_callbacks(execute=True):
        entry = registered(by="secretary", subject=SUBJECT, sender=SENDER, secrecy="confidential")
        letter = entry.letter
        routing.distribute(user("secretary"), letter, [Target(person="director")], instruction=INSTRUCTION)
        step = Step.objects.get(letter=letter, to_person__user__username="director")
        routing.endorse(user("director"), letter, ENDORSEMENT, step_id=step.pk,
                        assign_to=[Target(person="ict-director")], instruction=INSTRUCTION, working_days=2)
        assigned = Step.objects.get(letter=letter, to_person__user__username="ict-director")
        routing.report_done(user("ict-director"), letter, assigned.pk, result=RESULT)
        routing.distribute(user("secretary"), letter, [Target(person="permsec")], instruction=INSTRUCTION)
        back = Step.objects.get(letter=letter, to_person__user__username="permsec")
        routing.return_step(user("permsec"), letter, back.pk, reason=REASON)
        cancel_registration(user("secretary"), entry, CANCEL)
        item = intake.submit(user("secretary"), IntakeMetadata(**meta(subject=SUBJECT, sender=SENDER,
                                                                      secrecy="confidential")),
                             intake.Upload(make_pdf(variant=77), "in.pdf"))
        intake.reject(user("secretary"), item, REASON)
    return entry, letter


def test_notices_of_a_secret_letter_say_only_that_one_came(org, clock, smtp, line,
                                                           django_capture_on_commit_callbacks) -> None:
    for who in ("secretary", "director", "ict-director", "permsec"):
        person = user(who).person
        person.email = f"{who}@ops.example.go.th"
        person.save()
    with django_capture_on_commit_callbacks(execute=True):
        link_line("director", "Udirector0001")
    for who in ("secretary", "director", "ict-director", "permsec"):
        routing.set_preferences(user(who), email=True, line=who == "director")
    _, letter = _route_a_secret_letter(django_capture_on_commit_callbacks)

    notes = list(Notification.objects.filter(letter=letter))
    assert {n.event for n in notes} >= {"sent", "assigned", "endorsed", "done", "returned"}
    for n in notes:
        assert (n.title, n.body, n.url) == (CLASSIFIED_TITLE, "", f"/letters/{letter.pk}/")
    outbound = list(Outbound.objects.filter(notification__letter=letter))
    assert {o.channel for o in outbound} == {"email", "line"}
    for o in outbound:
        assert _leaks(o.subject + o.body) == [] and f"/letters/{letter.pk}/" in o.body
    assert smtp.messages and line.requests
    for msg in smtp.messages:
        assert _leaks(str(msg["Subject"]) + msg.get_content()) == []
        assert msg["Subject"].strip() == CLASSIFIED_TITLE
    for req in line.requests:
        assert _leaks(json.dumps(req["body"], ensure_ascii=False)) == []


def test_audit_log_and_logs_keep_no_classified_words(org, clock, caplog, django_capture_on_commit_callbacks) -> None:
    caplog.set_level(logging.DEBUG)
    _, letter = _route_a_secret_letter(django_capture_on_commit_callbacks)
    events = list(AuditEvent.objects.all())
    assert {"routing.distribute", "routing.endorse", "routing.done", "routing.return", "registry.cancel",
            "intake.reject"} <= {e.action for e in events}
    for ev in events:
        assert _leaks(json.dumps(ev.data, ensure_ascii=False) + ev.object_id + ev.actor_name) == [], ev.action
    endorse = next(e for e in events if e.action == "routing.endorse")
    assert endorse.data["withheld"] == ["instruction", "text"] or endorse.data["withheld"] == ["text"]
    assert _leaks(caplog.text) == []
    # the words themselves are still where the cleared reader finds them: the letter's own rows
    assert letter.subject == SUBJECT


def test_unclassified_letters_keep_their_words(org, clock, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        entry = registered(subject="ประชุมคณะทำงาน")
        routing.distribute(user("registrar"), entry.letter, [Target(person="officer")], instruction="ดำเนินการด่วน")
    n = Notification.objects.get(letter=entry.letter)
    assert "ประชุมคณะทำงาน" in n.title and "ดำเนินการด่วน" in n.body
    ev = AuditEvent.objects.get(action="routing.distribute")
    assert "withheld" not in ev.data
