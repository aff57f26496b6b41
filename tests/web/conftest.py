"""Fixtures for the page tests: the drafting signing set-up and the one-node SBX federation."""

from __future__ import annotations

from tests.drafting.flow import demo_pki_dir, signing  # noqa: F401 - fixtures
from tests.exchange.conftest import fed_root, sbx  # noqa: F401 - fixtures
