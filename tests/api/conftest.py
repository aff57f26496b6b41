"""Fixtures for the API tests: the drafting signing set-up."""

from __future__ import annotations

from tests.drafting.flow import demo_pki_dir, signing  # noqa: F401 - fixtures
