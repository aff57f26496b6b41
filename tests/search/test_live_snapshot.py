"""Live matching looks a query's longest term up once in the classified rows' texts joined together
(``classified._Snapshot``): it finds exactly the rows that matching row by row finds, in the same order, with
texts that hold the joining character and terms that would match across two rows."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saraban.search import analyse, classified

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)

_TEXT = st.text(alphabet="กขคab1ำ \x00", max_size=12)


def _row(text: str) -> classified._Row:
    return classified._Row(uuid.uuid4(), dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "", frozenset(), text, text,
                           analyse.word_starts(text.split()))


@settings(max_examples=500, deadline=None)
@given(st.lists(_TEXT, max_size=8), st.lists(st.text(alphabet="กขคab1ำ \x00", min_size=1, max_size=4),
                                             min_size=1, max_size=3))
def test_the_joined_texts_find_what_each_row_finds(texts: list[str], queries: list[str]) -> None:
    rows = [_row(t) for t in texts]
    terms = [analyse.Term(q) for q in queries]
    snapshot = classified._Snapshot([], rows)
    by_row = analyse.matching_starts(rows, terms, lambda r: r.folded, lambda r: r.secret_starts)
    assert snapshot.matching(terms) == by_row
    for t in terms:
        assert snapshot.containing(t.text) == [r for r in rows if t.text in r.folded]


def test_a_term_across_two_rows_is_not_a_match() -> None:
    rows = [_row("ขอเชิญ"), _row("ประชุม")]
    assert classified._Snapshot([], rows).containing("ญ\x00ป") == []
    assert classified._Snapshot([], rows).containing("ประชุม") == [rows[1]]
