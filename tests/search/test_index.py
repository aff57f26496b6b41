"""The index follows the data inside the action's transaction; reindex and the health check."""

from __future__ import annotations

import pytest

from saraban.access.principal import principal_for
from saraban.letters.models import Letter
from saraban.search import index
from saraban.search.models import FileText, SearchDoc
from saraban.search.query import search
from tests.fixtures import make_pdf, meta, user

pytestmark = pytest.mark.django_db


def found(username: str, q: str) -> list[str]:
    return [h.letter.subject for h in search(principal_for(user(username)), q).hits]


def test_registered_letter_is_found_by_its_fields_and_pdf_text(registrar_api, clock) -> None:
    pdf = make_pdf("การจัดทำแผนยุทธศาสตร์ด้านเศรษฐกิจดิจิทัล")
    r = registrar_api.incoming(meta(subject="ขอเชิญประชุมคณะกรรมการ", their_ref="นร ๐๑๐๕/ว ๑๒๓"), pdf=pdf)
    assert r.status_code == 201, r.content
    assert SearchDoc.objects.count() == 1
    assert FileText.objects.filter(status="done").exists()
    assert found("registrar", "คณะกรรมการ") == ["ขอเชิญประชุมคณะกรรมการ"]
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
    SearchDoc.objects.filter(letter__subject="เรื่องที่หนึ่ง").delete()
    SearchDoc.objects.filter(letter__subject="เรื่องที่สอง").update(digest="0")
    h = index.check()
    assert len(h.missing) == 1 and len(h.stale) == 1 and not h.ok
    seen = []
    assert index.reindex(progress=lambda done, total: seen.append((done, total))) == 2
    assert seen[-1] == (2, 2)
    assert index.check().ok
    assert found("registrar", "ที่หนึ่ง") == ["เรื่องที่หนึ่ง"]
