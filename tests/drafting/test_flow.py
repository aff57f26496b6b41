"""The drafting flow end to end at the action level: draft, versions, review with a return and its
diff, approval, signing — the letter numbered in the right book, signed, registered and visible."""

from __future__ import annotations

import pytest

from saraban.audit.models import AuditEvent
from saraban.drafting import actions, queries, signing_flow, trust
from saraban.drafting.models import DraftStatus
from saraban.letters.models import Letter
from saraban.registry.models import RegisterEntry
from saraban.signing.validate import validate_pdf
from saraban.storage import blobs
from tests.fixtures import user

from ..letterpress.pdftools import pdfsig, pdftotext, squash
from .flow import EXTERNAL_FORM, PIN, person

pytestmark = pytest.mark.django_db


def test_draft_review_return_approve_sign(signing) -> None:
    officer, reviewer, signer = user("officer"), user("ict-director"), user("permsec")
    draft = actions.create_draft(officer, kind="external", form={"subject": "ร่างแรก", "to_title": "อธิบดีกรมศิลปากร"})
    assert draft.version == 1 and draft.status == DraftStatus.DRAFT and draft.letter_id is None
    v2 = actions.save_version(officer, draft, base_version=1, form=EXTERNAL_FORM)
    assert v2.number == 2
    with pytest.raises(Exception) as stale:
        actions.save_version(officer, draft, base_version=1, form={"subject": "ชนกัน"})
    assert stale.value.code == "stale_version"
    actions.set_people(officer, draft, reviewers=[person("ict-director")],
                       signers=[actions.SignerChoice(person("permsec"))])
    draft.refresh_from_db()
    assert draft.version == 3  # the signature block is part of the content
    assert queries.letter_of(queries.version(draft)).signatories[0].name == "นายสมศักดิ์ ปกครองดี"
    actions.submit(officer, draft, version=draft.version)

    # not the signer's turn yet; the reviewer returns it with a comment, after editing the subject
    with pytest.raises(Exception) as early:
        actions.decide(signer, draft, decision="approve")
    assert early.value.code == "draft_not_allowed"
    actions.save_version(reviewer, draft, base_version=3,
                         form={"subject": EXTERNAL_FORM["subject"] + " (ครั้งที่ 1)"})
    with pytest.raises(Exception) as bare:
        actions.decide(reviewer, draft, decision="return")
    assert bare.value.code == "comment_required"
    step = actions.decide(reviewer, draft, decision="return", comment="โปรดเพิ่มเวลาเลิกประชุม")
    assert "+เรื่อง: " in step.diff and "(ครั้งที่ 1)" in step.diff
    draft.refresh_from_db()
    assert draft.status == DraftStatus.RETURNED

    actions.save_version(officer, draft, base_version=draft.version,
                         form={"body": EXTERNAL_FORM["body"] + "\n\nเลิกประชุมเวลา 12.00 น."})
    draft.refresh_from_db()
    actions.submit(officer, draft, version=draft.version)
    actions.decide(reviewer, draft, decision="approve")
    actions.decide(signer, draft, decision="approve")
    draft.refresh_from_db()
    assert draft.status == DraftStatus.APPROVED and draft.approved_version == draft.version
    assert draft.checker_id == person("ict-director").pk

    record = signing_flow.sign_draft(signer, draft, pins={"permsec": PIN}, base_url="https://saraban.test")
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SIGNED and draft.letter_id == record.letter_id
    letter = Letter.objects.get(pk=record.letter_id)
    assert letter.their_ref == "ดศ 0204/1" and letter.direction == "outgoing"
    assert letter.letter_uuid == draft.letter_uuid
    entry = RegisterEntry.objects.select_related("book").get(letter=letter)
    assert (entry.book.kind, entry.number, entry.display) == ("sent", 1, "ดศ 0204/1")
    assert entry.to_text == "อธิบดีกรมศิลปากร" and entry.subject == draft.subject
    pdf = blobs.read(record.signed_file.blob)
    text = squash(pdftotext(pdf))
    assert squash("ที่ ดศ 0204/1") in text and squash("3 มีนาคม 2569") in text
    assert "เลิกประชุมเวลา12.00น." in text
    report = validate_pdf(pdf, **trust.validation_args())
    assert report.valid and report.signatures[0].level == "B-LT" and report.signatures[0].time_trusted
    assert "Signature is Valid" in pdfsig(pdf)
    copy = squash(pdftotext(blobs.read(record.file_copy)))
    assert "ร่างกิตติศักดิ์" in copy and "ทานอรวรรณ" in copy
    # the people who took part may open the letter; the audit log tells the story
    from saraban.letters.queries import letter_for

    assert letter_for(user("officer"), letter.pk) == letter
    actions_seen = list(AuditEvent.objects.filter(object_id__in=[str(draft.pk), str(letter.pk)])
                        .order_by("seq").values_list("action", flat=True))
    assert actions_seen[0] == "drafting.create" and actions_seen[-1] == "drafting.sign"
    assert actions_seen.count("drafting.decide") == 3  # return, approve, approve

