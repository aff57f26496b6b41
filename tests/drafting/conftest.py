"""Fixtures for the drafting tests."""

from __future__ import annotations

from .flow import demo_pki_dir, signing  # noqa: F401 - fixtures
