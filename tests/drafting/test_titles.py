"""Signature titles on the signing date: acting only while the order is in force, delegated authority
(ปฏิบัติราชการแทน) with its order, scope and period — checked in the signed letters themselves."""

from __future__ import annotations

import datetime as dt

import pytest

from saraban.drafting import actions, queries, signing_flow
from saraban.kernel import clock as kclock
from saraban.letters.models import Letter
from saraban.orgs import titles
from saraban.orgs.models import Delegation, Position, PositionHolding
from saraban.registry.models import RegisterEntry
from saraban.storage import blobs
from tests.fixtures import user

from ..letterpress.pdftools import pdftotext, squash
from .flow import EXTERNAL_FORM, PIN, person

pytestmark = pytest.mark.django_db
PERMSEC = "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"


def _acting(username: str, start: dt.date, end: dt.date) -> PositionHolding:
    return PositionHolding.objects.create(person=person(username), position=Position.objects.get(code="ops-permsec"),
                                          kind="acting", start=start, end=end, order_ref="คำสั่ง ที่ 7/2569 (ทดสอบ)")


def _draft_for(signer: str, *, capacity: str = "auto", delegation: Delegation | None = None, kind: str = "external"):
    officer = user("officer")
    draft = actions.create_draft(officer, kind=kind, form=EXTERNAL_FORM)
    actions.set_people(officer, draft, reviewers=[], signers=[
        actions.SignerChoice(person(signer), "pki", None, capacity, delegation)])
    draft.refresh_from_db()
    return draft


def _approve_and_sign(draft, signer: str):
    officer = user("officer")
    actions.submit(officer, draft, version=draft.version)
    actions.decide(user(signer), queries.draft_for(user(signer), draft.pk), decision="approve")
    draft.refresh_from_db()
    record = signing_flow.sign_draft(user(signer), draft, pins={signer: PIN}, base_url="https://saraban.test")
    return record, squash(pdftotext(blobs.read(record.signed_file.blob)))


def test_acting_title_only_while_the_order_is_in_force(signing, clock) -> None:
    today = kclock.today()
    _acting("director", today - dt.timedelta(days=3), today + dt.timedelta(days=2))
    draft = _draft_for("director")
    # drafted while acting: the preview shows รักษาราชการแทน …
    assert queries.letter_of(queries.version(draft)).signatories[0].position == (
        "ผู้อำนวยการกองกลาง รักษาราชการแทน", PERMSEC)
    # … but signed after the acting order ended: their own position, no รักษาราชการแทน
    clock.advance(days=5)
    record, text = _approve_and_sign(draft, "director")
    assert squash("(นายประเสริฐ บริหารดี)ผู้อำนวยการกองกลาง") in text
    assert "รักษาราชการแทน" not in text and squash(PERMSEC) not in text.split(squash("(นายประเสริฐ"))[1]
    assert record.signers[0]["capacity"] == "own"


def test_acting_in_force_on_the_signing_date_shows_it(signing, clock) -> None:
    today = kclock.today()
    _acting("director", today - dt.timedelta(days=1), today + dt.timedelta(days=10))
    record, text = _approve_and_sign(_draft_for("director"), "director")
    assert squash(f"ผู้อำนวยการกองกลาง รักษาราชการแทน {PERMSEC}") in text
    assert record.signers[0]["capacity"] == "acting" and record.signers[0]["order_ref"] == "คำสั่ง ที่ 7/2569 (ทดสอบ)"


def _delegation(clock, **changes) -> Delegation:
    values = dict(principal=Position.objects.get(code="ops-permsec"), delegate=person("deputy"),
                  order_ref="คำสั่ง สป.ดศ. ที่ 31/2569 (ทดสอบ)", scope="หนังสือภายนอกถึงส่วนราชการระดับกรม",
                  kinds="external,memo", start=kclock.today() - dt.timedelta(days=30),
                  end=kclock.today() + dt.timedelta(days=30))
    values.update(changes)
    return Delegation.objects.create(**values)


def test_delegated_signature_shows_the_delegation(signing, clock) -> None:
    order = _delegation(clock)
    record, text = _approve_and_sign(_draft_for("deputy", capacity="delegated", delegation=order), "deputy")
    assert squash(f"(นางสาวรัชนี แทนการดี)รองปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม ปฏิบัติราชการแทน {PERMSEC}") \
        in text
    assert record.signers[0]["capacity"] == "delegated"
    assert record.signers[0]["order_ref"] == "คำสั่ง สป.ดศ. ที่ 31/2569 (ทดสอบ)"


def test_delegation_out_of_scope_or_not_in_force_is_refused(signing, clock) -> None:
    order = _delegation(clock, kinds="memo")
    with pytest.raises(Exception) as scope:
        _draft_for("deputy", capacity="delegated", delegation=order)
    assert scope.value.code == "delegation_out_of_scope"
    with pytest.raises(Exception) as missing:
        _draft_for("deputy", capacity="delegated", delegation=None)
    assert missing.value.code == "delegation_required"
    with pytest.raises(Exception) as other:  # someone else's order
        _draft_for("director", capacity="delegated", delegation=_delegation(clock))
    assert other.value.code == "delegation_not_yours"

    # in force when drafted, revoked before signing: refused, and nothing is numbered
    order = _delegation(clock)
    draft = _draft_for("deputy", capacity="delegated", delegation=order)
    order.revoked = kclock.today() + dt.timedelta(days=1)
    order.save()
    clock.advance(days=2)
    with pytest.raises(Exception) as ended:
        _approve_and_sign(draft, "deputy")
    assert ended.value.code == "delegation_not_in_force"
    assert not Letter.objects.filter(draft=draft).exists() and not RegisterEntry.objects.exists()


def test_titles_rules_directly(org, clock) -> None:
    today = kclock.today()
    director = person("director")
    assert titles.signature_title(director, today).lines == ("ผู้อำนวยการกองกลาง",)
    _acting("director", today - dt.timedelta(days=20), today - dt.timedelta(days=1))
    assert titles.signature_title(director, today) == titles.SignatureTitle(("ผู้อำนวยการกองกลาง",), "own")
    _acting("director", today, today)
    assert titles.signature_title(director, today).capacity == "acting"
    assert titles.signature_title(director, today, capacity="own").lines == ("ผู้อำนวยการกองกลาง",)
    assert titles.signature_title(director, today + dt.timedelta(days=1)).capacity == "own"
