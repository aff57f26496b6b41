"""Fixtures for the letterpress tests."""

from __future__ import annotations

import pytest

from saraban.letterpress.examples import EXAMPLES
from saraban.letterpress.render import RenderedLetter, render_letter


@pytest.fixture(scope="session")
def rendered() -> dict[str, RenderedLetter]:
    """Every example letter, rendered once for the session."""
    return {name: render_letter(build()) for name, build in EXAMPLES.items()}
