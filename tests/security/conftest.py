"""Fixtures for the security tests: the TEST signing set-up, a real SMTP server, a fake LINE platform."""

from __future__ import annotations

from tests.drafting.flow import demo_pki_dir, signing  # noqa: F401 - fixtures
from tests.routing.test_notify import line, smtp  # noqa: F401 - fixtures
