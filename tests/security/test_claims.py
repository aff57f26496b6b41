"""Letter ids (``letter_uuid``) sent by clients must belong to them: any id could be claimed before, so an
agency could register a letter under another agency's id or an SBX sender could name someone else's
letter.  And registry input that looks filled in but is not: year-1 dates, zero-width-only subjects."""

from __future__ import annotations

import uuid

import pytest

from saraban.audit.models import AuditEvent
from saraban.exchange.models import InboundMessage
from saraban.letters.models import Letter
from tests.exchange.conftest import fed_root, sbx  # noqa: F401 - fixtures
from tests.exchange.test_receive import _message, _receive, _refused
from tests.fixtures import meta

pytestmark = pytest.mark.django_db


def _state() -> tuple[int, int]:
    return Letter.objects.count(), AuditEvent.objects.count()


def _claimed(r) -> None:  # type: ignore[no-untyped-def]
    assert r.status_code == 409, r.content
    body = r.json()
    assert body["code"] == "letter_uuid_taken" and body["message_th"] and body["message_en"]
    assert "tmd" not in r.content.decode().lower()  # whose letter it is stays unsaid


def test_another_agencys_letter_id_cannot_be_claimed(api_for, clock) -> None:
    tmd = api_for("tmd-registrar").incoming(meta(subject="หนังสือของกรมอุตุนิยมวิทยา"))
    assert tmd.status_code == 201, tmd.content
    theirs = tmd.json()["letter_uuid"]
    ops = api_for("registrar")
    before = _state()
    _claimed(ops.incoming(meta(their_ref="นร 1/1", letter_uuid=theirs)))
    _claimed(ops.outgoing({"addressee": "ผู้รับ", "subject": "เรื่อง", "letter_uuid": theirs}))
    assert _state() == before
    fresh = str(uuid.uuid4())  # an id nobody holds is taken as given
    r = ops.incoming(meta(their_ref="นร 1/2", letter_uuid=fresh))
    assert r.status_code == 201 and r.json()["letter_uuid"] == fresh
    # the same agency may register its own letter again (a copy for a sub-unit, a re-registration) …
    again = ops.incoming(meta(their_ref="นร 1/3", letter_uuid=fresh, allow_duplicate=True))
    assert again.status_code == 201
    # … but a new outgoing letter never takes an id already in use, even its own agency's
    _claimed(ops.outgoing({"addressee": "ผู้รับ", "subject": "เรื่อง", "letter_uuid": fresh}))


def test_a_drafts_id_cannot_be_claimed_by_another_agency(api_for, clock) -> None:
    from saraban.drafting.models import Draft

    officer = api_for("officer")
    r = officer.post_json("/drafts", {"kind": "memo", "subject": "ร่างบันทึก"})
    assert r.status_code == 201, r.content
    draft = Draft.objects.get()
    _claimed(api_for("tmd-registrar").incoming(meta(letter_uuid=str(draft.letter_uuid))))


def test_intake_refuses_a_claimed_id(api_for, clock, pdf_bytes) -> None:
    import io
    import json

    theirs = api_for("tmd-registrar").incoming(meta()).json()["letter_uuid"]
    f = io.BytesIO(pdf_bytes)
    f.name = "x.pdf"
    r = api_for("registrar").post_multipart("/intake", {"file": f, "metadata": json.dumps({"letter_uuid": theirs})})
    _claimed(r)


def test_an_sbx_sender_cannot_name_another_senders_letter(sbx, clock) -> None:  # noqa: F811
    env, sig, payload = _message(sbx, sender="mdes-ops", recipient="tmd")
    assert _receive(env, sig, payload).status == 202
    taken = InboundMessage.objects.get().letter_uuid
    # another agency sends a letter under the id mdes-ops's letter already has
    err = _refused("PACKAGE_INVALID", *_message(sbx, sender="nso", recipient="tmd", uid=taken))
    assert err.details["reason"] == "letter_uuid_taken"
    # the first sender may send its own letter again (a resend, to another recipient)
    assert _receive(*_message(sbx, sender="mdes-ops", recipient="depa", uid=taken)).status == 202


@pytest.mark.parametrize("field,value", [
    ("their_date", "0001-01-01"),
    ("their_date", "1482-03-01"),  # a B.E. year converted to C.E. twice
    ("subject", "\u200b\u200b\u200b"),
    ("subject", "\u200b \ufeff\u2060\u200e\u00ad"),
    ("sender", "\u200c\u200d"),
])
def test_invisible_or_impossible_values_are_refused(registrar_api, clock, field, value) -> None:
    before = _state()
    r = registrar_api.incoming(meta(**{field: value}))
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["code"] == "invalid_input"
    [problem] = body["details"]["fields"]
    assert problem["field"] == field
    assert "มองเห็นได้" in problem["message_th"] or "เก่าเกินไป" in problem["message_th"]
    assert _state() == before


def test_outgoing_dates_and_optional_texts(registrar_api, clock) -> None:
    r = registrar_api.outgoing({"addressee": "ผู้รับ", "subject": "เรื่อง", "letter_date": "0001-01-01"})
    assert r.status_code == 422 and r.json()["details"]["fields"][0]["field"] == "letter_date"
    r = registrar_api.incoming(meta(remark="\u200b\u200b"))  # an optional text with nothing visible is empty
    assert r.status_code == 201
    assert Letter.objects.get().remark == ""
    ok = registrar_api.incoming(meta(their_ref="นร 9/9", subject="ทดสอบ\u200bคำ", their_date="1900-01-01"))
    assert ok.status_code == 201  # visible words with a zero-width space inside are kept as written
    assert Letter.objects.get(pk=ok.json()["id"]).subject == "ทดสอบ\u200bคำ"
