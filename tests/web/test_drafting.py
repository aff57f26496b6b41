"""The drafting pages through Django's test client: editor, live preview, review, signing, the letter
page's panels, and the public verification page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from saraban.drafting import queries, signing_flow
from saraban.drafting.models import Draft, SignedRecord
from saraban.storage import blobs
from tests.drafting.flow import EXTERNAL_FORM, PIN, approved
from tests.fixtures import user

pytestmark = pytest.mark.django_db


def client_for(username: str) -> Client:
    c = Client()
    c.force_login(user(username))
    return c


def test_editor_preview_and_save(signing) -> None:
    c = client_for("officer")
    r = c.post("/drafts/new/", {"kind": "external"})
    assert r.status_code == 302
    draft = Draft.objects.get()
    page = c.get(r["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="draft-form"' in html and 'name="to_title"' in html and "หนังสือภายนอก" in html
    # the live preview renders unsaved text to page images and says what is missing
    r = c.post(f"/drafts/{draft.pk}/preview/", {"subject": "", "body": "ย่อหน้าแรก"})
    body = r.content.decode()
    assert r.status_code == 200 and 'data-code="subject_empty"' in body and "data:image/png;base64," in body
    r = c.post(f"/drafts/{draft.pk}/preview/", {**EXTERNAL_FORM})
    assert 'data-code="subject_empty"' not in r.content.decode()
    r = c.post(f"/drafts/{draft.pk}/save/", {**EXTERNAL_FORM, "base_version": "1", "once": "t1"})
    assert r.status_code == 302
    draft.refresh_from_db()
    assert draft.version == 2 and draft.subject == EXTERNAL_FORM["subject"]
    # a second, stale save is refused with a clear message and changes nothing
    r = c.post(f"/drafts/{draft.pk}/save/", {"subject": "x", "base_version": "1", "once": "t2"}, follow=True)
    assert "ถูกแก้ไขโดยผู้อื่นแล้ว" in r.content.decode()
    draft.refresh_from_db()
    assert draft.version == 2
    english = c.get(f"/drafts/{draft.pk}/?lang=en").content.decode()
    assert "Save as new version" in english and ">Subject<" in english and "External letter" in english
    c.get("/drafts/?lang=th")
    # someone not taking part sees nothing
    assert client_for("registrar").get(f"/drafts/{draft.pk}/").status_code == 404
    assert EXTERNAL_FORM["subject"] in c.get("/drafts/?box=mine").content.decode()
    assert EXTERNAL_FORM["subject"] not in client_for("registrar").get("/drafts/?box=all").content.decode()


def test_sign_page_and_panels_and_public_verify(signing) -> None:
    draft = approved()
    c = client_for("permsec")
    page = c.get(f"/drafts/{draft.pk}/").content.decode()
    assert 'id="sign-form"' in page and f'name="pin-{user("permsec").person.pk}"' in page and "TEST" in page
    r = c.post(f"/drafts/{draft.pk}/sign/", {f"pin-{user('permsec').person.pk}": "wrong", "once": "s1"}, follow=True)
    assert "รหัส PIN หรือรหัสผ่านของกุญแจไม่ถูกต้อง" in r.content.decode()
    r = c.post(f"/drafts/{draft.pk}/sign/", {f"pin-{user('permsec').person.pk}": PIN, "once": "s2"})
    assert r.status_code == 302 and r["Location"].startswith("/letters/")
    record = SignedRecord.objects.get()
    letter_page = c.get(r["Location"]).content.decode()
    assert 'id="drafting-panel"' in letter_page and 'id="signatures-panel"' in letter_page
    copy = c.get(f"/letters/{record.letter_id}/file-copy.pdf")
    assert copy.status_code == 200 and copy.content == blobs.read(record.file_copy)
    registrar_page = client_for("registrar")  # no access to this unit's letters
    assert registrar_page.get(f"/letters/{record.letter_id}/file-copy.pdf").status_code == 404
    report = c.get(f"/letters/{record.letter_id}/signatures/").content.decode()
    assert "ลายมือชื่อถูกต้อง" in report and "TEST Saraban Root CA" in report
    assert "Signatures valid" in c.get(f"/letters/{record.letter_id}/signatures/?rlang=en").content.decode()

    anon = Client()
    page = anon.get(f"/verify/{record.token}")
    html = page.content.decode()
    assert page.status_code == 200
    assert record.sha256 in html and "ดศ 0204/1" in html and "3 มีนาคม 2569" in html
    assert draft.subject not in html  # never the subject or the text
    pdf = blobs.read(record.signed_file.blob)
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = anon.post(f"/verify/{record.token}", {"file": SimpleUploadedFile("a.pdf", pdf, "application/pdf")})
    assert 'id="match">✔' in r.content.decode()
    tampered = pdf.replace(b"/Producer", b"/Producex", 1) if b"/Producer" in pdf else pdf[:-10] + b"%%EOF\n\n\n\n"
    r = anon.post(f"/verify/{record.token}", {"file": SimpleUploadedFile("b.pdf", tampered, "application/pdf")})
    assert 'id="match">✘' in r.content.decode()
    assert anon.get("/verify/not-a-token").status_code == 404
    r = anon.post("/verify/", {"file": SimpleUploadedFile("a.pdf", pdf, "application/pdf")})
    assert f"/verify/{record.token}" in r.content.decode()


def test_review_through_the_pages(signing) -> None:
    from saraban.drafting import actions
    from tests.drafting.flow import person

    officer = user("officer")
    draft = actions.create_draft(officer, kind="memo", form={"subject": "ขออนุมัติ", "to_title": "ผู้อำนวยการ",
                                                             "body": "จึงเรียนมาเพื่อโปรดพิจารณา"})
    actions.set_people(officer, draft, reviewers=[person("ict-director")],
                       signers=[actions.SignerChoice(person("director"), "typed")])
    draft.refresh_from_db()
    c = client_for("officer")
    assert c.post(f"/drafts/{draft.pk}/submit/", {"once": "a"}).status_code == 302
    rev = client_for("ict-director")
    page = rev.get(f"/drafts/{draft.pk}/").content.decode()
    assert 'id="decide-form"' in page
    rev.post(f"/drafts/{draft.pk}/decide/", {"decision": "return", "comment": "เพิ่มเหตุผล", "once": "b"})
    page = c.get(f"/drafts/{draft.pk}/").content.decode()
    assert 'id="returned"' in page and "เพิ่มเหตุผล" in page
    v = Draft.objects.get(pk=draft.pk).version
    c.post(f"/drafts/{draft.pk}/save/", {"body": "เหตุผล\n\nจึงเรียนมาเพื่อโปรดพิจารณา", "base_version": v, "once": "c"})
    assert re.search(r"hx-get=\"/drafts/[^\"]+/versions/\d+/diff/\"", c.get(f"/drafts/{draft.pk}/").content.decode())
    diff = c.get(f"/drafts/{draft.pk}/versions/{v + 1}/diff/").content.decode()
    assert 'class="add"' in diff and "เหตุผล" in diff
    c.post(f"/drafts/{draft.pk}/submit/", {"once": "d"})
    rev.post(f"/drafts/{draft.pk}/decide/", {"decision": "approve", "once": "e"})
    client_for("director").post(f"/drafts/{draft.pk}/decide/", {"decision": "approve", "once": "f"})
    # typed name: no PIN asked; the agency seal protects the letter
    record = signing_flow.sign_draft(user("director"), queries.draft_for(user("director"), draft.pk))
    assert record.signers[0]["mode"] == "typed" and record.signers[-1]["mode"] == "seal"


def test_signature_panel_for_received_letters(signing, tmp_path) -> None:
    """Letters received from others: signed by a CA we do not trust, changed after signing, unsigned."""
    from saraban.registry.actions import Upload, register_incoming
    from saraban.registry.validation import IncomingMetadata
    from saraban.signing.pades import Level, Signing, TrustSettings, sign_pdf
    from saraban.signing.pki import PersonSpec, TestPKI
    from saraban.signing.signers import KeyFile
    from tests.drafting.flow import PKI_START
    from tests.fixtures import make_pdf, meta

    other = TestPKI.create(tmp_path / "other", people=[PersonSpec("x", "นายภายนอก ทดสอบ")], now=PKI_START)
    signed = sign_pdf(make_pdf("หนังสือลงนามจากหน่วยงานอื่น"), [Signing(KeyFile(other.directory / "person-x.p12", PIN))],
                      TrustSettings(trust_roots=tuple(other.trust_roots), other_certs=(other.intermediate.cert,)),
                      level=Level.B_B)
    changed = bytearray(signed)
    at = signed.index(b"stream", len(signed) // 4) + 20
    changed[at] ^= 0x01
    registrar = user("registrar")
    letters = {}
    plain = make_pdf("ไม่มีลายมือชื่อ", variant=5)
    for name, data in (("foreign", signed), ("changed", bytes(changed)), ("plain", plain)):
        metadata = IncomingMetadata(**meta(their_ref=f"นร 0105/{name}"))
        entry = register_incoming(registrar, metadata, Upload(data, "a.pdf"))
        letters[name] = entry.letter_id
    c = client_for("registrar")
    html = c.get(f"/letters/{letters['foreign']}/signatures/").content.decode()
    assert "ใบรับรองไม่ได้ออกโดยผู้ออกใบรับรองที่เชื่อถือ" in html and "TEST นายภายนอก ทดสอบ" in html
    assert "ตามที่เครื่องผู้ลงนามระบุ" in html and 'class="df-report invalid"' in html
    html = c.get(f"/letters/{letters['changed']}/signatures/").content.decode()
    assert "เนื้อหาเอกสารไม่ตรงกับที่ลงนาม" in html
    html = c.get(f"/letters/{letters['plain']}/signatures/?rlang=en").content.decode()
    assert "No electronic signature in this file" in html
    assert client_for("officer").get(f"/letters/{letters['plain']}/signatures/").status_code == 404
