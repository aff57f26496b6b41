"""The live preview answers while someone types (issue #17): the same text is never rendered twice, and a page
whose text did not change is not drawn again; a classified draft's pages are never kept in the cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from saraban.drafting import actions
from saraban.drafting import preview as preview_mod
from tests.fixtures import user

pytestmark = pytest.mark.django_db

LONG = "ด้วยศูนย์เทคโนโลยีสารสนเทศและการสื่อสารมีความประสงค์จะขอข้อมูลสถิติการใช้บริการดิจิทัลภาครัฐ " * 40


def _count(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    calls = [0]
    real = getattr(preview_mod, name)

    def counting(*a: object, **k: object) -> object:
        calls[0] += 1
        return real(*a, **k)

    monkeypatch.setattr(preview_mod, name, counting)
    return calls


def test_same_text_is_not_rendered_again_and_unchanged_pages_are_not_redrawn(org, clock, monkeypatch) -> None:
    cache.clear()
    draft = actions.create_draft(user("officer"), kind="memo", form={"subject": "ขอข้อมูลสถิติ", "body": LONG})
    renders, draws = _count(monkeypatch, "render_letter"), _count(monkeypatch, "page_png")
    first = preview_mod.preview(draft, actions.prepare_content(draft, form={"subject": "ขอข้อมูลสถิติ", "body": LONG}))
    assert len(first.images) >= 2 and renders[0] == 1 and draws[0] == len(first.images)
    again = preview_mod.preview(draft, actions.prepare_content(draft, form={"subject": "ขอข้อมูลสถิติ", "body": LONG}))
    assert again.images == first.images and renders[0] == 1 and draws[0] == len(first.images)
    typed = preview_mod.preview(draft, actions.prepare_content(draft, form={"subject": "ขอข้อมูลสถิติ",
                                                                            "body": LONG + "เพิ่ม"}))
    assert renders[0] == 2 and draws[0] == len(first.images) + 1  # only the last page was drawn again
    assert typed.images[0] == first.images[0] and typed.images[-1] != first.images[-1]


def test_a_classified_draft_is_never_cached(org, clock, monkeypatch) -> None:
    cache.clear()
    draft = actions.create_draft(user("secretary"), kind="memo", form={"subject": "ลับ", "secrecy": "ลับ"})
    renders = _count(monkeypatch, "render_letter")
    letter = actions.prepare_content(draft, form={"subject": "แผนลับ", "secrecy": "ลับ"})
    preview_mod.preview(draft, letter)
    preview_mod.preview(draft, letter)
    assert renders[0] == 2
