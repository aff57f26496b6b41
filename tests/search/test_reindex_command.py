"""``saraban search reindex --rebuild-index``, as from the command line: outside a transaction, so that
PostgreSQL's rebuild runs ``CONCURRENTLY`` (searches and writes go on meanwhile).  The test commits
(``committed_db``: no module-wide ``django_db`` mark)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from saraban.access.principal import principal_for
from saraban.search import index
from saraban.search.query import search
from tests.fixtures import make_pdf, meta, user

pytestmark = pytest.mark.usefixtures("committed_db")


def test_reindex_can_rebuild_the_index_structures(registrar_api: Any, clock: Any) -> None:
    registrar_api.incoming(meta(subject="เรื่องที่หนึ่ง"))
    registrar_api.incoming(meta(subject="เรื่องที่สอง", their_ref="นร 1/2"), pdf=make_pdf(variant=2))
    index.catch_up()
    out = io.StringIO()
    call_command("search", "reindex", "--rebuild-index", stdout=out)
    said = out.getvalue()
    assert "OK: 2 letters indexed" in said and "OK: index structures rebuilt" in said, said
    assert "สร้างโครงสร้างดัชนีใหม่แล้ว" in said
    assert index.check().ok
    p = principal_for(user("registrar"))
    for q in ("ที่สอง", "นร 1/2"):
        assert [h.letter.subject for h in search(p, q).hits] == ["เรื่องที่สอง"], q
