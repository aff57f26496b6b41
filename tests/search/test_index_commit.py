"""The index row is written as the registering transaction commits, outside the register book's number lock,
with no search needed to bring it up (these tests commit, as the server does)."""

from __future__ import annotations

import pytest

from saraban.api.actions import create_token
from saraban.search import index
from saraban.search.models import FileText, IndexMark, SearchDoc
from tests.fixtures import Api, make_pdf, meta, user

pytestmark = pytest.mark.usefixtures("committed_db")


def test_the_row_is_written_as_the_registration_commits_and_the_mark_settled(committed_db, org) -> None:
    api = Api(create_token(user("registrar"))[1])
    r = api.incoming(meta(subject="ขอเชิญประชุมคณะกรรมการ"), pdf=make_pdf("แผนยุทธศาสตร์ด้านเศรษฐกิจดิจิทัล"))
    assert r.status_code == 201, r.content
    # no search ran: the rows were written by the step after the commit, outside the book's number lock
    doc = SearchDoc.objects.get()
    assert "ยุทธศาสตร์" in doc.text and FileText.objects.filter(status="done").exists()
    ((wanted, done),) = IndexMark.objects.values_list("wanted", "done")  # the registration, then its receipt stamp
    assert wanted == done >= 1
    assert index.check().ok and index.check().behind == 0
    r = api.incoming(meta(subject="ฉบับที่สอง", their_ref="นร 1/2"), key="k-1", pdf=make_pdf(variant=2))
    assert r.status_code == 201, r.content  # inside the Idempotency-Key's transaction: written after it commits
    assert SearchDoc.objects.count() == 2 and not index.behind(10)

