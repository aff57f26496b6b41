"""The emblem settings page in a real browser: a demo agency shows the placeholder, an upload replaces it
in the sample letter, and a hostile file is refused with its message."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.backend("sqlite")]

DRAWN = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 120">'
         '<path d="M50 8 L62 40 L95 40 L68 60 L80 95 L50 74 L20 95 L32 60 L5 40 L38 40 Z" fill="#000"/>'
         '<rect x="25" y="104" width="50" height="8" fill="#000"/></svg>')


def test_emblem_settings_page(page, e2e_node, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    login(page, e2e_node, "admin")
    page.goto(f"{e2e_node.url}/settings/emblems/?agency=mdes-ops")
    assert page.locator("#emblem-missing").is_visible()
    page.wait_for_function("() => document.querySelector('#sample').naturalWidth > 0")
    shot(page, "emblem-settings-placeholder")
    svg = tmp_path / "drawn.svg"
    svg.write_text(DRAWN, encoding="utf-8")
    page.set_input_files("#garuda-file", str(svg))
    with page.expect_navigation():
        page.click("#garuda-upload")
    assert page.locator("#emblem-missing").count() == 0
    page.wait_for_function("() => document.querySelector('#sample').naturalWidth > 0")
    shot(page, "emblem-settings-uploaded")
    bad = tmp_path / "bad.svg"
    bad.write_text("<html><script>alert(1)</script></html>", encoding="utf-8")
    page.set_input_files("#seal-file", str(bad))
    with page.expect_navigation():
        page.click("form:has(#seal-file) button[type=submit]")
    assert "ไฟล์ตราไม่ถูกต้อง" in page.content()
