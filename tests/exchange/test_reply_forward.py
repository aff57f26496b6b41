"""Reply and forward between agencies (in-process SBX): a reply links to its letter both ways — in the
answering agency and, by letter_uuid, back home — and a forward delivers the original PDF byte for byte."""

from __future__ import annotations

import hashlib
import io
import json

import pikepdf
import pytest
from django.test import Client

from saraban.drafting import actions as drafting
from saraban.drafting import queries as drafting_queries
from saraban.drafting import signing_flow
from saraban.drafting.models import Draft
from saraban.exchange import actions
from saraban.exchange import forward as forwarding
from saraban.exchange.models import Dispatch
from saraban.intake import actions as intake
from saraban.intake.models import IntakeItem
from saraban.kernel.errors import NotFound, SarabanError
from saraban.letters import queries as letter_queries
from saraban.letters.models import Letter
from saraban.storage import blobs
from tests.drafting.flow import PIN, demo_pki_dir, person, signing  # noqa: F401 - fixtures
from tests.exchange.conftest import pump
from tests.exchange.helpers import signed_with_enclosures
from tests.fixtures import user

pytestmark = pytest.mark.django_db


def received_at_tmd() -> tuple[Letter, Letter]:
    """(A's signed letter with two enclosures, กรมอุตุนิยมวิทยา's registered copy of it)."""
    original = signed_with_enclosures()
    actions.dispatch(user("officer"), original, ["tmd"])
    pump()
    entry = intake.register(user("tmd-registrar"), IntakeItem.objects.get(agency__code="tmd"), {})
    pump()
    return original, entry.letter


def sign_reply(draft: Draft) -> Letter:
    tmd = user("tmd-registrar")
    drafting.save_version(tmd, draft, base_version=draft.version, form={"body": "ตามหนังสือที่อ้างถึง กรมอุตุนิยม"
                                                                         "วิทยาขอส่งข้อมูลปริมาณน้ำฝนรายเดือน\n\n"
                                                                         "จึงเรียนมาเพื่อโปรดทราบ"})
    drafting.set_people(tmd, draft, reviewers=[], signers=[drafting.SignerChoice(person("tmd-director"), "pki")])
    draft.refresh_from_db()
    drafting.submit(tmd, draft, version=draft.version)
    director = user("tmd-director")
    drafting.decide(director, drafting_queries.draft_for(director, draft.pk), decision="approve")
    draft.refresh_from_db()
    record = signing_flow.sign_draft(director, draft, pins={"tmd-director": PIN})
    return Letter.objects.get(pk=record.letter_id)


def test_reply_links_both_ways_here_and_at_home(sbx, signing, clock) -> None:  # noqa: F811
    original, copy = received_at_tmd()
    tmd = user("tmd-registrar")
    draft = drafting.start_reply(tmd, copy.pk)
    content = drafting_queries.version(draft).content
    assert draft.reply_to_id == copy.pk and draft.subject == original.subject
    assert content["to"]["title"] == copy.sender
    assert content["references"] == [f"หนังสือ{copy.sender} ที่ {original.their_ref} ลงวันที่ 3 มีนาคม 2569"]
    reply = sign_reply(draft)
    assert reply.reply_to_id == copy.pk and list(copy.replies.all()) == [reply]
    thread = letter_queries.thread(tmd, copy)
    assert [(i.letter.pk, i.relation) for i in thread] == [(copy.pk, "this"), (reply.pk, "reply")]
    assert [(i.letter.pk, i.relation) for i in letter_queries.thread(tmd, reply)] == [
        (copy.pk, "answered"), (reply.pk, "this")]

    # the reply travels home with its อ้างถึง; registering it links it to the letter it answers there
    actions.dispatch(tmd, reply, ["mdes-ops"])
    pump()
    item = IntakeItem.objects.get(agency__code="mdes-ops", channel="sbx")
    assert item.metadata["reply_to_uuid"] == str(original.letter_uuid)
    home = intake.register(user("registrar"), item, {}).letter
    assert home.reply_to_id == original.pk and list(original.replies.all()) == [home]
    api = Client()
    api.force_login(user("permsec"))  # sees the ministry's letters: the original and the reply registered home
    body = api.get(f"/api/v1/letters/{original.pk}").json()
    assert body["replies"] == [str(home.pk)]
    assert api.get(f"/api/v1/letters/{home.pk}").json()["reply_to"] == str(original.pk)
    thread = api.get(f"/api/v1/letters/{original.pk}/thread").json()
    assert [(x["relation"], x["id"]) for x in thread["letters"]] == [("this", str(original.pk)),
                                                                      ("reply", str(home.pk))]
    page = api.get(f"/letters/{original.pk}/").content.decode()
    assert "ตอบหนังสือนี้" in page and 'id="thread"' in page and f"/letters/{home.pk}/" in page
    officer = Client()
    officer.force_login(user("officer"))  # does not see the reply registered at the centre: not listed
    assert officer.get(f"/api/v1/letters/{original.pk}").json()["replies"] == []


def test_forward_keeps_the_original_pdf_byte_identical(sbx, signing, clock) -> None:  # noqa: F811
    original, copy = received_at_tmd()
    sent_pdf = blobs.read(original.files.get(role="letter").blob)
    stamped = copy.files.filter(role="presentation")
    tmd = user("tmd-registrar")
    [d] = forwarding.forward(tmd, copy, ["nso"], note="ส่งต่อเพื่อโปรดพิจารณาในส่วนที่เกี่ยวข้อง")
    assert d.forward and d.cover_id
    pump()
    item = IntakeItem.objects.get(agency__code="nso")
    files = list(item.files.select_related("blob").order_by("order"))
    assert [f.role for f in files] == ["letter", "enclosure", "enclosure", "enclosure"]
    assert blobs.read(files[0].blob) == sent_pdf  # byte for byte: never our stamped copy
    assert all(blobs.read(files[0].blob) != blobs.read(s.blob) for s in stamped)
    assert files[1].title == "บันทึกนำส่ง (ส่งต่อ)"
    with pikepdf.open(io.BytesIO(blobs.read(files[1].blob))) as cover:
        assert len(cover.pages) == 1
    sent = list(original.files.filter(role="enclosure").order_by("order"))
    assert [f.blob.sha256 for f in files[2:]] == [f.blob.sha256 for f in sent]
    assert item.metadata["their_ref"] == original.their_ref and item.metadata["letter_uuid"] == str(
        original.letter_uuid)
    entry = intake.register(user("nso-registrar"), item, {})
    pump()
    d.refresh_from_db()
    assert d.status == "registered" and d.registration_display == entry.display
    kept = entry.letter.files.get(role="letter")
    assert hashlib.sha256(blobs.read(kept.blob)).hexdigest() == hashlib.sha256(sent_pdf).hexdigest()
    # forwarding again to the same agency is refused; a cancelled letter cannot be forwarded
    with pytest.raises(SarabanError) as exc:
        forwarding.forward(tmd, copy, ["nso"])
    assert exc.value.code == "already_sent"
    with pytest.raises(SarabanError) as exc:
        forwarding.forward(user("officer"), original, ["nso"])
    assert exc.value.code in ("not_forwardable", "permission_denied")


def test_reply_to_a_letter_one_may_not_see_is_404(sbx, signing, clock) -> None:  # noqa: F811
    original = signed_with_enclosures()
    with pytest.raises(NotFound):
        drafting.start_reply(user("nso-registrar"), original.pk)
    api = Client()
    api.force_login(user("nso-registrar"))
    r = api.post(f"/api/v1/letters/{original.pk}/reply", json.dumps({}), content_type="application/json")
    missing = api.post("/api/v1/letters/01234567-89ab-7def-8123-456789abcdef/reply", json.dumps({}),
                       content_type="application/json")
    assert r.status_code == missing.status_code == 404
    assert r.json() == missing.json() and r.json()["code"] == "letter_not_found"
    web = api.post(f"/letters/{original.pk}/reply/")
    assert web.status_code == 404
    assert not Draft.objects.filter(reply_to=original).exists()
    assert Dispatch.objects.count() == 0
