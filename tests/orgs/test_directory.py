import datetime as dt

import pytest

from saraban.kernel.clock import today
from saraban.orgs import directory
from saraban.orgs.actions import load_directory
from saraban.orgs.models import Agency, Person, Position, PositionHolding, Unit

pytestmark = pytest.mark.django_db


def test_demo_ministry_loads_idempotently(clock) -> None:
    data = directory.read(directory.DEMO_FILE)
    first = load_directory(data, demo=True)
    again = load_directory(data, demo=True)
    assert first == again
    assert Agency.objects.filter(parent__code="mdes").count() == 8
    ops = Unit.objects.get(code="ops-central")
    assert ops.ref_prefix == "ดศ 0201" and ops.unit_number_is_demo and ops.issues_numbers
    assert Unit.objects.get(code="ops-saraban").numbering_unit() == ops
    assert Person.objects.get(user__username="secretary").clearance == 2


def test_acting_holdings_from_the_file(clock) -> None:
    load_directory(directory.read(directory.DEMO_FILE), demo=True)
    acting = PositionHolding.objects.get(kind="acting", person__user__username="ict-deputy")
    assert acting.position.code == "ops-ict-director"
    assert acting.start == today() + dt.timedelta(days=30) and acting.end == today() + dt.timedelta(days=44)
    position = Position.objects.get(code="ops-ict-director")
    holders = {h.person.user.username for h in position.holders_on(acting.start)}
    assert holders == {"ict-director", "ict-deputy"}
    assert {h.person.user.username for h in position.holders_on(acting.start - dt.timedelta(days=1))} == {
        "ict-director"}
