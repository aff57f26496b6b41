"""Sending what was signed: a drafted letter with enclosures waits as "signed, not yet sent" for its drafter,
signer and the unit's registrars, is sent by SBX with the recipients its draft names, and arrives whole."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from django.test import Client

from saraban.drafting import queries as drafting_queries
from saraban.exchange import actions
from saraban.exchange.models import Dispatch
from saraban.intake import actions as intake
from saraban.intake.models import IntakeItem
from saraban.kernel.errors import PermissionDenied, SarabanError
from saraban.letters.enclosures import Upload
from saraban.letters.models import Letter
from saraban.registry import actions as registry
from saraban.registry.validation import OutgoingMetadata
from saraban.routing.models import Notification
from saraban.storage import blobs
from tests.drafting.flow import demo_pki_dir, signing  # noqa: F401 - fixtures
from tests.exchange.conftest import pump
from tests.exchange.helpers import FORM, signed_with_enclosures
from tests.fixtures import make_pdf, user

pytestmark = pytest.mark.django_db

def test_signed_letter_waits_then_goes_with_its_enclosures(sbx, signing, clock) -> None:  # noqa: F811
    letter = signed_with_enclosures()
    assert letter.dispatch_state == "awaiting" and letter.awaiting_dispatch
    files = {f.role: f for f in letter.files.all() if f.role == "letter"}
    enclosures = list(letter.files.filter(role="enclosure").order_by("order"))
    assert [(e.name, e.title, e.order) for e in enclosures] == [
        ("กำหนดการ.pdf", "กำหนดการประชุม จำนวน 1 ฉบับ", 1), ("แบบสำรวจ.xlsx", "แบบสำรวจ", 2)]
    content = drafting_queries.version(letter.draft, letter.draft.approved_version).content
    assert content["enclosures"] == ["กำหนดการประชุม จำนวน 1 ฉบับ", "แบบสำรวจ"]
    # the drafter, the signer (and the unit's registrars, none in this demo unit) were told where it is
    told = set(Notification.objects.filter(event="signed", letter=letter).values_list("person__user__username",
                                                                                       flat=True))
    assert {"officer", "permsec"} <= told and "ict-director" not in told

    # the central registrar of another unit may not send it; the drafter may
    with pytest.raises(PermissionDenied):
        actions.dispatch(user("registrar"), letter, ["tmd"])
    web = Client()
    web.force_login(user("officer"))
    page = web.get(f"/letters/{letter.pk}/").content.decode()
    assert "ลงนามแล้ว รอส่ง" in page
    checked = set(re.findall(r'name="recipient" value="([a-z-]+)" checked', page))
    assert checked == {"tmd", "etda"}  # pre-filled from เรียน and สำเนาส่ง
    awaiting = web.get("/exchange/awaiting/").content.decode()
    assert letter.their_ref in awaiting and FORM["subject"] in awaiting

    [d] = actions.dispatch(user("officer"), letter, ["tmd"])
    letter.refresh_from_db()
    assert letter.dispatch_state == "sent"
    assert FORM["subject"] not in web.get("/exchange/awaiting/").content.decode()
    pump()
    item = IntakeItem.objects.get(channel="sbx")
    sent = [files["letter"], *enclosures]
    got = list(item.files.select_related("blob").order_by("order"))
    assert [f.role for f in got] == ["letter", "enclosure", "enclosure"]
    assert [f.blob.sha256 for f in got] == [f.blob.sha256 for f in sent]
    assert [f.title for f in got[1:]] == ["กำหนดการประชุม จำนวน 1 ฉบับ", "แบบสำรวจ"]
    assert [f.name for f in got[1:]] == ["กำหนดการ.pdf", "แบบสำรวจ.xlsx"]
    entry = intake.register(user("tmd-registrar"), item, {})
    pump()
    d.refresh_from_db()
    assert d.status == "registered" and d.registration_display == entry.display
    kept = list(entry.letter.files.filter(role__in=("letter", "enclosure")).order_by("order"))
    assert [hashlib.sha256(blobs.read(f.blob)).hexdigest() for f in kept] == [f.blob.sha256 for f in sent]
    stamped = entry.letter.files.filter(role="presentation")
    assert all(f.derived_from.role == "letter" for f in stamped)  # the stamp is on the letter only


def test_cancelled_or_unsigned_letters_are_refused(sbx, clock) -> None:
    registrar = user("registrar")
    meta = OutgoingMetadata(addressee="อธิบดีกรมอุตุนิยมวิทยา", subject="หนังสือที่ยังไม่มีไฟล์")
    reserved = registry.issue_outgoing(registrar, meta)
    with pytest.raises(SarabanError) as exc:
        actions.dispatch(registrar, Letter.objects.get(pk=reserved.letter_id), ["tmd"])
    assert exc.value.code == "letter_not_signed" and exc.value.message_th and exc.value.message_en
    entry = registry.issue_outgoing(registrar, meta, Upload(make_pdf(), "a.pdf"))
    registry.cancel_registration(registrar, entry, "พิมพ์ผิด")
    with pytest.raises(SarabanError) as exc:
        actions.dispatch(registrar, Letter.objects.get(pk=entry.letter_id), ["tmd"])
    assert exc.value.code == "letter_cancelled"
    assert not Dispatch.objects.exists()


def test_error_pages_are_thai_and_the_api_stays_coded(org) -> None:
    web = Client()
    web.force_login(user("registrar"))
    r = web.get("/letters/01234567-89ab-7def-8123-456789abcdef/")
    assert r.status_code == 404 and "ไม่พบหน้าที่ต้องการ" in r.content.decode() and b"Not Found</h1>" not in r.content
    r = web.get("/no/such/page/")
    assert r.status_code == 404 and "ไม่พบหน้าที่ต้องการ" in r.content.decode()
    r = Client().get("/api/v1/no/such/thing")
    assert r.status_code == 404 and r.json()["code"] == "not_found" and r.json()["message_en"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user("registrar"))
    r = strict.post("/intake/upload/", {"file": io.BytesIO(b"x")})
    assert r.status_code == 403 and "แบบฟอร์มหมดอายุ" in r.content.decode()
