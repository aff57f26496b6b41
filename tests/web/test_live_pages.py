"""Pages that update themselves (issue #17, point 3): the letter page's preview polls while the receipt stamp is
drawn in the background and stops once it is there; the exchange panel polls while a delivery is unconfirmed."""

from __future__ import annotations

import pytest
from django.test import Client

from saraban.letters.models import LetterFile
from saraban.registry.tasks import stamp_receipt
from tests.fixtures import user
from tests.routing.helpers import registered

pytestmark = pytest.mark.django_db


def test_the_preview_polls_until_the_stamp_is_drawn_then_stops(org, clock) -> None:
    entry = registered(subject="หนังสือรอตรารับ")
    c = Client()
    c.force_login(user("registrar"))
    page = c.get(f"/letters/{entry.letter_id}/").content.decode()
    assert 'hx-get="/letters/' in page and 'hx-trigger="every 2s"' in page and 'data-pending="stamp"' in page
    fragment = c.get(f"/letters/{entry.letter_id}/preview/").content.decode()
    assert fragment.lstrip().startswith('<div id="letter-preview"') and "every 2s" in fragment  # still waiting
    original = LetterFile.objects.get(letter_id=entry.letter_id, role="letter")
    stamp_receipt.call(str(entry.pk), str(original.pk))  # the worker draws it
    fragment = c.get(f"/letters/{entry.letter_id}/preview/").content.decode()
    assert "hx-trigger" not in fragment and "ประทับตรารับ" in fragment  # the stamped copy, and no more polling


def test_the_page_stops_waiting_for_work_that_never_finished(org, clock) -> None:
    entry = registered()
    c = Client()
    c.force_login(user("registrar"))
    clock.advance(minutes=11)  # the stamp should long be there: the health page says why it is not
    assert "hx-trigger" not in c.get(f"/letters/{entry.letter_id}/preview/").content.decode()


def test_the_send_status_polls_until_the_recipient_confirms(sbx, clock) -> None:
    from saraban.exchange import actions
    from saraban.letters.models import Letter
    from tests.exchange.conftest import pump
    from tests.exchange.helpers import issue

    letter = Letter.objects.get(pk=issue(subject="ส่งแล้วรอตอบรับ").letter_id)
    actions.dispatch(user("registrar"), letter, ["tmd"])
    c = Client()
    c.force_login(user("registrar"))
    page = c.get(f"/letters/{letter.pk}/").content.decode()
    assert 'id="sbx-status" hx-get="/exchange/letters/' in page and 'data-polling="1"' in page
    pump()  # the worker delivers it and the recipient's receipt comes back
    fragment = c.get(f"/exchange/letters/{letter.pk}/panel/").content.decode()
    assert 'data-status="delivered"' in fragment and 'data-polling="1"' not in fragment


def test_the_send_status_names_the_recipient_once(org) -> None:
    from saraban.exchange.models import Dispatch
    from saraban.exchange.queries import registering_unit

    d = Dispatch(recipient_name="กรมอุตุนิยมวิทยา", registering_unit="สำนักงานเลขานุการกรม กรมอุตุนิยมวิทยา")
    assert registering_unit(d) == "สำนักงานเลขานุการกรม"
    d.registering_unit = "กรมอุตุนิยมวิทยา กรมอุตุนิยมวิทยา"
    assert registering_unit(d) is None
