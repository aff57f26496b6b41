"""The routing API: the flow, idempotency and double submits, and every kind of bad input and access."""

from __future__ import annotations

import pytest

from saraban.registry.actions import cancel_registration
from saraban.routing.models import Step
from tests.fixtures import user
from tests.routing.helpers import registered

pytestmark = pytest.mark.django_db


def test_flow_and_double_submits(api_for, clock) -> None:
    entry = registered()
    lid = entry.letter_id
    reg, director, officer = api_for("registrar"), api_for("ict-director"), api_for("officer")
    r = reg.post_json(f"/routing/letters/{lid}/distribute", {"targets": [{"unit": "ops-ict"}]})
    assert r.status_code == 201, r.content
    [inbox] = director.get("/routing/inbox").json()
    assert inbox["subject"] == "การพิมพ์หนังสือราชการ" and inbox["status"] == "sent"
    assert director.post_json(f"/routing/letters/{lid}/open", {}).json()[0]["status"] == "opened"

    body = {"text": "ทราบ มอบ ศทส. ดำเนินการ", "assign_to": [{"person": "officer"}], "working_days": 2}
    first = director.post_json(f"/routing/letters/{lid}/endorse", body, key="tap-1")
    again = director.post_json(f"/routing/letters/{lid}/endorse", body, key="tap-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert first.json()["assigned"][0]["due_date"] == "2026-03-05"
    # without a key a second, identical assignment is refused: one open assignment per person
    dup = director.post_json(f"/routing/letters/{lid}/assign", {"targets": [{"person": "officer"}],
                                                                 "instruction": "ดำเนินการ", "working_days": 2})
    assert dup.status_code == 409 and dup.json()["code"] == "already_assigned"
    assert Step.objects.filter(letter_id=lid, kind="assign").count() == 1

    task = first.json()["assigned"][0]["id"]
    assert officer.post_json(f"/routing/letters/{lid}/steps/{task}/acknowledge", {}).json()["status"] == "acknowledged"
    done = officer.post_json(f"/routing/letters/{lid}/steps/{task}/done", {"note": "เสร็จแล้ว"})
    assert done.json()["status"] == "done" and done.json()["result"] == "เสร็จแล้ว"
    route = reg.get(f"/routing/letters/{lid}").json()
    assert [s["status"] for s in route["steps"]] == ["acknowledged", "done"]
    assert route["endorsements"][0]["typed_name"] == "นางสาวอรวรรณ เทคโนโลยี"
    reg_row = reg.get("/registers/received/2569").json()["entries"][0]
    assert "ส่ง ศทส." in reg_row["action"] and "มอบ นายกิตติศักดิ์" in reg_row["action"]


def test_forged_step_from_another_letter_is_refused(api_for, clock) -> None:
    a, b = registered(), registered()
    reg, officer = api_for("registrar"), api_for("officer")
    step_b = reg.post_json(f"/routing/letters/{b.letter_id}/assign", {
        "targets": [{"person": "officer"}], "instruction": "ดำเนินการ", "working_days": 3}).json()[0]["id"]
    reg.post_json(f"/routing/letters/{a.letter_id}/assign", {
        "targets": [{"person": "officer"}], "instruction": "ดำเนินการ", "working_days": 3})
    for verb in ("acknowledge", "done"):
        r = officer.post_json(f"/routing/letters/{a.letter_id}/steps/{step_b}/{verb}", {})
        assert r.status_code == 404 and r.json()["code"] == "step_not_found"
    r = api_for("ict-director").post_json(f"/routing/letters/{a.letter_id}/endorse", {"text": "ทราบ",
                                                                                    "step": step_b})
    assert r.status_code == 404
    assert Step.objects.get(pk=step_b).status == "sent"


def test_outsiders_see_nothing(api_for, clock) -> None:
    entry = registered()
    api_for("registrar").post_json(f"/routing/letters/{entry.letter_id}/distribute", {"targets": [{"unit": "ops-ict"}]})
    f = entry.letter.files.first()
    outsider = api_for("tmd-registrar")
    for path in (f"/routing/letters/{entry.letter_id}", f"/letters/{entry.letter_id}",
                 f"/letters/{entry.letter_id}/files/{f.pk}"):
        assert outsider.get(path).status_code == 404, path
    r = outsider.post_json(f"/routing/letters/{entry.letter_id}/endorse", {"text": "ทราบ"})
    assert r.status_code == 404 and r.json()["code"] == "letter_not_found"
    assert outsider.get("/routing/inbox").json() == []


def test_endorsing_a_cancelled_letter_is_refused_with_the_reason(api_for, clock) -> None:
    entry = registered()
    api_for("registrar").post_json(f"/routing/letters/{entry.letter_id}/distribute", {"targets": [{"unit": "ops-ict"}]})
    cancel_registration(user("registrar"), entry, "ลงทะเบียนผิดฉบับ")
    r = api_for("ict-director").post_json(f"/routing/letters/{entry.letter_id}/endorse", {"text": "ทราบ"})
    assert r.status_code == 409 and r.json()["code"] == "letter_cancelled"
    assert "ลงทะเบียนผิดฉบับ" in r.json()["message_th"] and "ลงทะเบียนผิดฉบับ" in r.json()["message_en"]
    assert not entry.letter.endorsements.exists()


def test_secret_letters_follow_clearance(api_for, clock) -> None:
    entry = registered(by="secretary", secrecy="confidential")
    sec = api_for("secretary")
    lid = entry.letter_id
    r = sec.post_json(f"/routing/letters/{lid}/distribute", {"targets": [{"unit": "ops-ict"}]})
    assert r.status_code == 422 and r.json()["code"] == "classified_to_unit"
    r = sec.post_json(f"/routing/letters/{lid}/distribute", {"targets": [{"person": "officer"}]})
    assert r.status_code == 403 and r.json()["code"] == "recipient_not_cleared"
    assert sec.post_json(f"/routing/letters/{lid}/distribute", {"targets": [{"position": "ops-ict-director"}]}
                         ).status_code == 201
    assert api_for("ict-director").get(f"/routing/letters/{lid}").status_code == 200
    for other in ("officer", "registrar", "director"):  # not cleared, or not on the route
        assert api_for(other).get(f"/letters/{lid}").status_code == 404, other


def test_recall_return_and_bad_input(api_for, clock) -> None:
    entry = registered()
    lid = entry.letter_id
    reg, director = api_for("registrar"), api_for("ict-director")
    [s1] = reg.post_json(f"/routing/letters/{lid}/distribute", {"targets": [{"unit": "ops-ict"}]}).json()
    assert reg.post_json(f"/routing/letters/{lid}/steps/{s1['id']}/recall", {}).json()["status"] == "recalled"
    assert director.get(f"/routing/letters/{lid}").status_code == 404  # the recalled grant is gone
    [s2] = reg.post_json(f"/routing/letters/{lid}/distribute", {"targets": [{"unit": "ops-ict"}]}).json()
    director.post_json(f"/routing/letters/{lid}/open", {})
    r = reg.post_json(f"/routing/letters/{lid}/steps/{s2['id']}/recall", {})
    assert r.status_code == 409 and r.json()["code"] == "already_opened"
    r = director.post_json(f"/routing/letters/{lid}/steps/{s2['id']}/return", {"reason": "  "})
    assert r.status_code == 422 and r.json()["code"] == "reason_required"
    r = director.post_json(f"/routing/letters/{lid}/steps/{s2['id']}/return", {"reason": "ไม่ใช่ภารกิจของ ศทส."})
    assert r.json()["status"] == "returned"
    assert "ส่งคืน" in reg.get("/registers/received/2569").json()["entries"][0]["action"]

    bad = [({"targets": []}, "invalid_input"), ({"targets": [{"unit": "nope"}]}, "unknown_target"),
           ({"targets": [{"unit": "ops-ict", "person": "officer"}]}, "invalid_input"),
           ({"targets": [{"position": "ops-legal-director"}]}, "position_vacant")]
    for body, code in bad:
        r = reg.post_json(f"/routing/letters/{lid}/distribute", body)
        assert r.status_code == 422 and r.json()["code"] == code, (body, r.content)
    r = reg.post_json(f"/routing/letters/{lid}/assign", {"targets": [{"person": "officer"}], "instruction": "x",
                                                         "working_days": 0})
    assert r.status_code == 422
    r = reg.post_json(f"/routing/letters/{lid}/assign", {"targets": [{"person": "officer"}], "instruction": "x",
                                                         "due_date": "2026-01-01"})
    assert r.status_code == 422 and r.json()["code"] == "invalid_due"
    r = reg.post_json(f"/routing/letters/{lid}/steps/not-a-uuid/done", {})
    assert r.status_code == 422
    assert api_for("officer").post_json(f"/routing/letters/{lid}/steps/{s2['id']}/done", {}).status_code in (403, 404)
