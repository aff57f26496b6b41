"""The analyser's fast paths (ASCII and Thai text) give exactly what the per-character tables give."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saraban.search import analyse

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)

_COMMON = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x7F)
                  | st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F)
                  | st.sampled_from(analyse._PUNCTUATION), max_size=60)


def _slow_fold_clean(text: str) -> str:
    return analyse._SPACES.sub(" ", text.translate(analyse._FOLD)).strip()


@settings(max_examples=400, deadline=None)
@given(_COMMON)
def test_fold_and_split_fast_paths_agree_with_the_tables(text: str) -> None:
    assert analyse._COMMON.fullmatch(text)
    assert analyse.fold_clean(text) == _slow_fold_clean(text)
    folded = _slow_fold_clean(text)
    assert analyse.split_tokens(folded) == folded.translate(analyse._SPLIT).split()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_folds_as_the_tables_say(text: str) -> None:
    assert analyse.fold_clean(text) == _slow_fold_clean(text)
    folded = analyse.fold_clean(text)
    assert analyse.split_tokens(folded) == folded.translate(analyse._SPLIT).split()


def test_thai_digits_sara_am_and_case() -> None:
    assert analyse.fold("ที่ ดศ ๐๒๐๑/๑๒๓๔ กำหนด ABC") == "ที่ ดศ 0201/1234 กาหนด abc"
    assert analyse.clean("เศรษฐ\u200bกิจ") == "เศรษฐกิจ"
    assert analyse.split_tokens("ก.พ. 2569, (สป.ดศ)") == ["ก", "พ", "2569", "สป", "ดศ"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(" \t\n\u00a0\u2003\u0e4d\u0e32\u0e48"),
               max_size=40))
def test_clean_collapses_whitespace_as_the_pattern_does(text: str) -> None:
    import unicodedata

    expected = unicodedata.normalize("NFC", text).translate(analyse._ZW)
    expected = analyse._AM.sub(lambda m: m.group(1) + analyse.SARA_AM, expected)
    assert analyse.clean(text) == analyse._SPACES.sub(" ", expected).strip()


def _slow_spans(text: str, terms: list[analyse.Term], limit: int) -> list[tuple[int, int]]:
    head = text[:limit]
    starts, pieces, pos = [], [], 0
    for ch in head:
        starts.append(pos)
        piece = ch.translate(analyse._FOLD)
        pieces.append(piece)
        pos += len(piece)
    starts.append(pos)
    return analyse._spans_in("".join(pieces), starts, terms, len(head))


@settings(max_examples=300, deadline=None)
@given(_COMMON, st.lists(_COMMON, max_size=3), st.integers(min_value=1, max_value=80), st.integers(0, 59),
       st.integers(1, 8))
def test_snippet_spans_fast_path_agrees_with_the_tables(text: str, queries: list[str], limit: int, at: int,
                                                        size: int) -> None:
    queries.append(text[at:at + size])  # a term that occurs
    terms = [t for q in queries for t in analyse.parse(q)]
    assert analyse._spans(text, terms, limit) == _slow_spans(text, terms, limit)


def test_snippet_highlights_the_term() -> None:
    parts = analyse.snippet("ขอเชิญประชุม ¶ เรื่อง การจัดทำ ABC แผน", analyse.parse("จัดทา abc"))
    assert [t for t, hit in parts if hit] == ["จัดทำ", "ABC"]


_WORDS = st.lists(st.text(alphabet="กขคabc12ำา", min_size=1, max_size=5), max_size=8)


@settings(max_examples=400, deadline=None)
@given(_WORDS, st.lists(st.text(alphabet="กขคabc12ำา", min_size=1, max_size=4), min_size=1, max_size=3))
def test_matching_by_word_starts_is_the_rule(words: list[str], queries: list[str]) -> None:
    """The live matching of sealed text looks short terms up in the words' starts: the same answer as the
    rule the backends implement, which scans the tokens."""
    folded = " ".join(words)
    terms = [analyse.Term(q) for q in queries]
    starts = analyse.word_starts(words)
    assert bool(analyse.matching_starts([folded], terms, lambda f: f, lambda _: starts)) == \
        analyse.matches(folded, terms, set(words))
