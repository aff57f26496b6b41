"""Cutting Thai text by characters without splitting a grapheme (certificate names, R: names)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saraban.kernel.thai import clip, joins_previous

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)


def test_clip_keeps_marks_with_their_letter() -> None:
    assert clip("นายสมศักดิ์ ทดลองทรัพย์", 23) == "นายสมศักดิ์ ทดลองทรัพย์"
    assert clip("พ่วงทรัพย์", 9) == "พ่วงทรัพ"  # not "พ่วงทรัพย" without its ์
    assert clip("ดำเนินงาน", 2) == "ดำ" and clip("ดำเนินงาน", 1) == ""  # ำ stays with ด
    assert clip("abc", 10) == "abc"


@given(st.text(alphabet="กขคงดตนบปพมยรลวสหอะัาำิีึืุูเแโใไ่้๊๋็์ ", max_size=80), st.integers(1, 70))
def test_clip_never_ends_before_a_mark(text: str, limit: int) -> None:
    out = clip(text, limit)
    assert len(out) <= limit and text.startswith(out)
    if len(out) < len(text.rstrip()):
        assert not joins_previous(text[len(out)]) or text[len(out)] == " " or out == ""
