"""Who may send a letter: :func:`saraban.exchange.policy.can_dispatch` (one letter) and
:func:`~saraban.exchange.policy.dispatchable_q` (the หนังสือรอส่ง list) always agree — over every demo user and
letters of every unit, secrecy and status, with dispatch grants, other grants and none."""

from __future__ import annotations

import itertools
import random

import pytest

from saraban.access.principal import principal_for
from saraban.exchange import policy
from saraban.kernel import clock
from saraban.letters.models import Letter, LetterAccess
from saraban.letters.records import DISPATCH_GRANT
from saraban.orgs.models import Person, Unit

pytestmark = pytest.mark.django_db


def test_can_dispatch_and_dispatchable_q_agree(org) -> None:
    rnd = random.Random(10)
    units = list(Unit.objects.all())
    people = list(Person.objects.select_related("user"))
    now = clock.now()
    letters = []
    for secrecy, status, direction in itertools.product(["normal", "confidential", "secret"],
                                                        ["registered", "cancelled"], ["outgoing", "incoming"]):
        for _ in range(4):
            unit = rnd.choice(units)
            letter = Letter.objects.create(agency_id=unit.agency_id, unit=unit, direction=direction, kind="external",
                                           subject="s", secrecy=secrecy, status=status, created_at=now)
            for reason in rnd.sample([DISPATCH_GRANT, "drafting", "step:x"], k=rnd.randint(0, 2)):
                LetterAccess.objects.create(letter=letter, person=rnd.choice(people), reason=reason, granted_at=now)
            letters.append(letter)
    checked = granted = 0
    for person in people:
        if person.user is None:
            continue
        p = principal_for(person.user)
        listed = set(Letter.objects.filter(policy.dispatchable_q(p)).values_list("pk", flat=True))
        for letter in letters:
            one = policy.can_dispatch(p, letter)
            assert one == (letter.pk in listed), (person.user.username, letter.unit.code, letter.secrecy)
            checked += 1
            granted += one
    assert checked > 500 and 0 < granted < checked  # both answers occur
