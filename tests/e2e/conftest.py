"""Browser tests: Debian chromium driven by Playwright against a real node (gunicorn + worker)."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live.conftest import Node, running_node

CHROMIUM = os.environ.get("SARABAN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENS = Path(os.environ.get("SARABAN_SCREENSHOTS", Path(__file__).resolve().parent / "_screens"))


@pytest.fixture(scope="module")
def e2e_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    with running_node(tmp_path_factory.mktemp("e2e")) as n:
        yield n


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:  # not per session: while Playwright runs, asyncio.run() (pyHanko) cannot
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="th-TH")
    p = ctx.new_page()
    p.set_default_timeout(20_000)
    yield p
    ctx.close()


def shot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, node: Node, username: str, password: str = "saraban-demo") -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{node.url}/login/")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("button[type=submit]")


def pick_option(page, selector: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Choose the option of the ``<select>`` whose label contains ``text`` (a person by name)."""
    value = page.eval_on_selector(selector, "(s, t) => [...s.options].find(o => o.text.includes(t)).value", text)
    page.select_option(selector, value)


def pdf_png(pdf: bytes, name: str, dpi: int = 80) -> Path:
    """Page 1 of ``pdf`` rendered by poppler (pdftoppm) into the screenshots folder."""
    from tests.letterpress.pdftools import need

    need("pdftoppm")
    SCREENS.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", f.name,
                        str(SCREENS / name)], check=True)
    return SCREENS / f"{name}.png"
