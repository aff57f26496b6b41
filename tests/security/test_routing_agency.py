"""Routing stays inside the agency (issue #14, finding "routing crosses agencies").

The attack: an OPS letter distributed to a TMD person and unit, which TMD then registered in its own book
with no SBX dispatch, no sent-register entry and no receipt.  Every routing path now refuses a recipient
outside the letter's agency with ``other_agency``; the letter leaves only by dispatch.
"""

from __future__ import annotations

import pytest

from saraban.audit.models import AuditEvent
from saraban.letters.models import LetterAccess
from saraban.orgs.models import Unit
from saraban.routing import actions as routing
from saraban.routing.errors import OtherAgency
from saraban.routing.models import Notification, RouteTemplate, Step
from saraban.routing.resolve import Target
from tests.fixtures import user
from tests.routing.helpers import registered

pytestmark = pytest.mark.django_db

OUTSIDE = [Target(unit="tmd-forecast"), Target(person="tmd-registrar"), Target(person="tmd-director")]


def _nothing_happened(letter) -> None:
    assert not Step.objects.filter(letter=letter).exists()
    assert not LetterAccess.objects.filter(letter=letter, reason__startswith="step:").exists()
    assert not Notification.objects.filter(letter=letter).exists()
    assert not AuditEvent.objects.filter(action__startswith="routing.").exists()


def test_distribution_and_assignment_to_another_agency_are_refused(org, clock) -> None:
    letter = registered().letter
    for target in OUTSIDE:
        with pytest.raises(OtherAgency):
            routing.distribute(user("registrar"), letter, [target])
        with pytest.raises(OtherAgency):  # one outsider among insiders spoils the whole send
            routing.distribute(user("registrar"), letter, [Target(unit="ops-ict"), target])
        with pytest.raises(OtherAgency):
            routing.assign(user("registrar"), letter, [target], instruction="ดำเนินการ")
        with pytest.raises(OtherAgency):
            routing.send_circular(user("registrar"), letter, [target])
    _nothing_happened(letter)


def test_the_api_answers_a_coded_error_and_the_copy_cannot_be_registered(api_for, clock) -> None:
    letter = registered().letter
    reg = api_for("registrar")
    r = reg.post_json(f"/routing/letters/{letter.pk}/distribute", {"targets": [{"unit": "tmd-forecast"}]})
    assert (r.status_code, r.json()["code"]) == (422, "other_agency")
    assert "SBX" in r.json()["message_th"] and "dispatch" in r.json()["message_en"]
    r = reg.post_json(f"/routing/letters/{letter.pk}/assign",
                      {"targets": [{"person": "tmd-registrar"}], "instruction": "ดำเนินการ"})
    assert (r.status_code, r.json()["code"]) == (422, "other_agency")
    # TMD was never given the letter, so it cannot see it, let alone register it in its own book
    assert api_for("tmd-registrar").get(f"/letters/{letter.pk}").status_code == 404
    _nothing_happened(letter)


def test_endorsing_with_an_assignment_outside_is_refused(org, clock) -> None:
    letter = registered().letter
    routing.distribute(user("registrar"), letter, [Target(person="director")])
    before = AuditEvent.objects.count()
    with pytest.raises(OtherAgency):
        routing.endorse(user("director"), letter, "ให้ดำเนินการ", assign_to=[Target(person="tmd-director")],
                        instruction="ดำเนินการ")
    assert AuditEvent.objects.count() == before


def test_a_route_template_cannot_lead_outside(org, clock) -> None:
    with pytest.raises(OtherAgency):
        routing.save_template(user("admin"), Unit.objects.get(code="ops-central"), "ส่งกรมอุตุ",
                              [{"person": "director"}, {"unit": "tmd-forecast"}])
    assert not RouteTemplate.objects.exists()


def test_inside_the_agency_routing_still_works(org, clock) -> None:
    letter = registered().letter
    steps = routing.distribute(user("registrar"), letter, [Target(unit="ops-ict"), Target(person="director")])
    assert len(steps) == 2
