"""The duplicate check leaks no secret letter (issue #14, finding "the duplicate check leaks secret letters").

The attack: an uncleared registrar posts the ที่, date and sender of a secret letter and reads the
``409 likely_duplicate`` answer, which used to name the secret book, its number, the registration id and
the letter id.  Now the check considers only letters the caller may see; the secret twin is flagged to
those who may see it.
"""

from __future__ import annotations

import json

import pytest

from saraban.registry.models import HiddenTwin, RegisterEntry
from saraban.routing.models import Notification
from tests.fixtures import meta, user

pytestmark = pytest.mark.django_db

TWIN = {"their_ref": "กห 0201/ลับ 77", "their_date": "2026-02-27", "sender": "กระทรวงกลาโหม"}


def test_an_uncleared_registrar_learns_nothing_of_a_secret_twin(api_for, clock) -> None:
    secret = api_for("secretary").incoming(meta(**TWIN, secrecy="secret", subject="แผนป้องกันประเทศ"))
    assert secret.status_code == 201, secret.content
    secret_id, secret_entry = secret.json()["id"], secret.json()["registration"]["id"]

    r = api_for("registrar").incoming(meta(**TWIN, subject="หนังสือทั่วไป"))
    assert r.status_code == 201, r.content  # no 409: the registrar may not know the secret letter exists
    text = json.dumps(r.json(), ensure_ascii=False)
    assert secret_id not in text and secret_entry not in text and "secret" not in r.json()["registration"]["book"]
    new = RegisterEntry.objects.get(pk=r.json()["registration"]["id"])
    assert new.letter.duplicate_of_id is None

    # flagged to those who may see the secret letter, and only to them
    [flag] = HiddenTwin.objects.all()
    assert (str(flag.entry_id), str(flag.twin_id)) == (str(new.pk), secret_id)
    told = Notification.objects.filter(event="twin")
    assert {n.person.user.username for n in told} == {"secretary"}
    n = told.get()
    assert n.url == f"/letters/{secret_id}/" and new.display in n.title and "แผนป้องกันประเทศ" not in n.title


def test_a_visible_twin_is_still_refused_with_its_details(api_for, clock) -> None:
    reg = api_for("registrar")
    first = reg.incoming(meta(**TWIN))
    r = reg.incoming(meta(**TWIN))
    assert (r.status_code, r.json()["code"]) == (409, "likely_duplicate")
    assert r.json()["details"]["registration"]["letter_id"] == first.json()["id"]
    assert not HiddenTwin.objects.exists()


def test_the_cleared_registrar_is_warned_of_the_twin_she_may_see(api_for, clock) -> None:
    first = api_for("registrar").incoming(meta(**TWIN))
    r = api_for("secretary").incoming(meta(**TWIN, secrecy="secret"))
    assert (r.status_code, r.json()["code"]) == (409, "likely_duplicate")
    assert r.json()["details"]["registration"]["letter_id"] == first.json()["id"]


def test_a_later_409_names_the_visible_twin_never_the_secret_one(api_for, clock) -> None:
    secret_id = api_for("secretary").incoming(meta(**TWIN, secrecy="confidential")).json()["id"]
    reg = api_for("registrar")
    mine = reg.incoming(meta(**TWIN))
    assert mine.status_code == 201
    r = reg.incoming(meta(**TWIN))
    assert r.status_code == 409
    assert r.json()["details"]["registration"]["letter_id"] == mine.json()["id"]
    assert secret_id not in json.dumps(r.json())
    assert HiddenTwin.objects.count() == 1  # the refused attempt flagged nothing more
    assert user("registrar").person is not None
