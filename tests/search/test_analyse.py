"""The analyser's fast paths (ASCII and Thai text) give exactly what the per-character tables give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from saraban.search import analyse

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
