"""A query with terms counts, facets and ranks its newest matches only (``SARABAN_SEARCH_WINDOW``, default
1,000): a word in every letter is answered from the newest rows, and within them the best match comes first."""

from __future__ import annotations

from typing import Any

import pytest

from saraban.access.principal import principal_for
from saraban.search import index
from saraban.search.query import search
from tests.fixtures import make_pdf, meta, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def five(registrar_api: Any, clock: Any) -> list[str]:
    """Five letters, oldest first, all with ไซเบอร์ in their PDF's text; the oldest and the fourth also in
    their subject (which ranks higher)."""
    ids = []
    for i in range(5):
        subject = f"ขอส่งแผนป้องกันภัยคุกคามไซเบอร์ ฉบับที่ {i}" if i in (0, 3) else f"ขอส่งรายงานประจำเดือน ฉบับที่ {i}"
        r = registrar_api.incoming(meta(subject=subject, their_ref=f"ดศ 0501/{i + 1}"),
                                   pdf=make_pdf("แผนรับมือภัยคุกคามไซเบอร์", variant=i + 1))
        assert r.status_code == 201, r.content
        ids.append(r.json()["id"])
        clock.advance(minutes=5)
    index.catch_up()
    return ids


def ids(q: str, **kw: Any) -> tuple[list[str], int, bool]:
    res = search(principal_for(user("registrar")), q, **kw)
    return [str(h.letter.pk) for h in res.hits], res.total, res.total_capped


def test_the_whole_window_is_ranked(five: list[str]) -> None:
    hits, total, capped = ids("ไซเบอร์")
    assert (total, capped) == (5, False)
    assert hits[:2] == [five[3], five[0]]  # in the subject: first, newest first among them
    assert hits[2:] == [five[4], five[2], five[1]]


def test_a_query_looks_at_its_newest_matches(five: list[str], settings: Any) -> None:
    settings.SARABAN_SEARCH_WINDOW = 2  # the newest 3 matches (2, and one to say there are more)
    hits, total, capped = ids("ไซเบอร์", limit=2)
    assert (total, capped) == (2, True)  # "more than 2"
    assert set(ids("ไซเบอร์", limit=10)[0]) == set(five[2:])
    assert hits == [five[3], five[4]]  # ranked within the window: the fourth's subject beats the fifth
    assert five[0] not in ids("ไซเบอร์", limit=10)[0]  # the oldest, though ranked higher, is outside it
    assert ids("ไซเบอร์ 0501/1")[0] == [five[0]]  # and found by narrowing the query
