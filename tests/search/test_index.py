"""The index follows the data: marked behind inside the action's transaction, written as it commits (outside
the register book's lock), caught up by every query after a crash; reindex and the health check."""

from __future__ import annotations

import pytest
from django.db.models import F

from saraban.access.principal import principal_for
from saraban.letters.changes import touch
from saraban.letters.models import Letter
from saraban.search import index
from saraban.search.models import FileText, IndexMark, SearchDoc
from saraban.search.query import search
from tests.fixtures import make_pdf, meta, user

pytestmark = pytest.mark.django_db


def found(username: str, q: str) -> list[str]:
    return [h.letter.subject for h in search(principal_for(user(username)), q).hits]


def test_registered_letter_is_found_by_its_fields_and_pdf_text(registrar_api, clock) -> None:
    pdf = make_pdf("การจัดทำแผนยุทธศาสตร์ด้านเศรษฐกิจดิจิทัล")
    r = registrar_api.incoming(meta(subject="ขอเชิญประชุมคณะกรรมการ", their_ref="นร ๐๑๐๕/ว ๑๒๓"), pdf=pdf)
    assert r.status_code == 201, r.content
    assert not SearchDoc.objects.exists() and len(index.behind()) == 1  # marked; written after the commit
    assert found("registrar", "คณะกรรมการ") == ["ขอเชิญประชุมคณะกรรมการ"]  # a query catches up first
    assert SearchDoc.objects.count() == 1 and not index.behind()
    assert FileText.objects.filter(status="done").exists()
    assert found("registrar", "0105/ว 123") == ["ขอเชิญประชุมคณะกรรมการ"]  # Arabic digits find Thai ones
    assert found("registrar", "ยุทธศาสตร์") == ["ขอเชิญประชุมคณะกรรมการ"]  # from the PDF's text layer
    assert found("registrar", "28/2/2569") == ["ขอเชิญประชุมคณะกรรมการ"]  # ลงวันที่ in B.E.
    assert found("registrar", "2026-02-28") == ["ขอเชิญประชุมคณะกรรมการ"]
    assert found("registrar", "ไม่มีคำนี้แน่นอน") == []
    assert index.check().ok


def test_a_failed_action_leaves_no_index_row(registrar_api, clock) -> None:
    r = registrar_api.incoming(meta(subject="x" * 2000))  # too long: rejected, nothing written
    assert r.status_code >= 400
    assert not Letter.objects.exists() and not SearchDoc.objects.exists()


def test_reindex_repairs_and_check_reports(registrar_api, clock) -> None:
    registrar_api.incoming(meta(subject="เรื่องที่หนึ่ง"))
    registrar_api.incoming(meta(subject="เรื่องที่สอง", their_ref="นร 1/2"), pdf=make_pdf(variant=2))
    assert index.catch_up() == 2
    SearchDoc.objects.filter(letter__subject="เรื่องที่หนึ่ง").delete()
    SearchDoc.objects.filter(letter__subject="เรื่องที่สอง").update(digest="0")
    h = index.check()
    assert len(h.missing) == 1 and len(h.stale) == 1 and not h.ok
    seen = []
    assert index.reindex(progress=lambda done, total: seen.append((done, total))) == 2
    assert seen[-1] == (2, 2)
    assert index.check().ok
    assert found("registrar", "ที่หนึ่ง") == ["เรื่องที่หนึ่ง"]


def test_a_crash_between_commit_and_refresh_is_caught_up(registrar_api, clock) -> None:
    registrar_api.incoming(meta(subject="เรื่องเดิม"))
    index.catch_up()
    letter = Letter.objects.get()
    # what a crash right after the commit leaves: the data changed and marked, the row not yet written
    Letter.objects.filter(pk=letter.pk).update(subject="เรื่องที่แก้แล้ว")
    IndexMark.objects.filter(letter=letter).update(wanted=F("wanted") + 1)
    h = index.check()
    assert h.ok and h.behind == 1 and "เรื่องเดิม" in SearchDoc.objects.get().text
    assert found("registrar", "ที่แก้แล้ว") == ["เรื่องที่แก้แล้ว"]  # the query wrote the row first
    assert index.behind(10) == []
    IndexMark.objects.filter(letter=letter).update(wanted=F("wanted") + 1)
    Letter.objects.filter(pk=letter.pk).update(subject="เรื่องครั้งที่สาม")
    assert index.catch_up() == 1  # what the worker's follower runs when nobody searches
    assert "เรื่องครั้งที่สาม" in SearchDoc.objects.get().text and index.check().ok


def test_an_older_refresh_finishing_last_never_writes_older_text(registrar_api, clock) -> None:
    registrar_api.incoming(meta(subject="ฉบับแรก"))
    index.catch_up()
    letter = Letter.objects.get()
    Letter.objects.filter(pk=letter.pk).update(subject="ฉบับสอง")
    touch(letter.pk)  # a change (outside an action: marked and written at once)
    slow = index.prepare([letter.pk])  # a refresh that read the marks and the data now ...
    Letter.objects.filter(pk=letter.pk).update(subject="ฉบับสาม")
    touch(letter.pk)  # ... while a later change is marked and written first
    assert "ฉบับสาม" in SearchDoc.objects.get().text
    assert index.save(slow) == 0  # ... then finishes: it finds the mark past what it read and writes nothing
    assert "ฉบับสาม" in SearchDoc.objects.get().text
    assert IndexMark.objects.values_list("wanted", "done").get() == (3, 3)
    assert index.save(slow, force=True) == 1  # (a rebuild's forced write would: it runs alone, in batches)


def test_a_letter_made_secret_leaves_the_index_in_the_same_transaction(registrar_api, clock) -> None:
    from django.db import transaction

    from saraban.kernel.actions import atomic
    from saraban.letters.regrade import set_secrecy

    registrar_api.incoming(meta(subject="แผนงบประมาณที่จะเป็นความลับ"))
    index.catch_up()
    letter = Letter.objects.get()
    with transaction.atomic(), atomic():
        set_secrecy(letter, "confidential")
        # still inside the transaction: the row already holds no plaintext subject
        assert "แผนงบประมาณ" not in SearchDoc.objects.get().text and SearchDoc.objects.get().classified
