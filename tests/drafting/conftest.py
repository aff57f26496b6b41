"""Fixtures for the drafting tests."""

from __future__ import annotations

import pytest

from saraban.drafting.examples import EXAMPLES
from saraban.drafting.render import RenderedLetter, render_letter

from .flow import demo_pki_dir, signing  # noqa: F401 - fixtures


@pytest.fixture(scope="session")
def rendered() -> dict[str, RenderedLetter]:
    """Every example letter, rendered once for the session."""
    return {name: render_letter(build()) for name, build in EXAMPLES.items()}
