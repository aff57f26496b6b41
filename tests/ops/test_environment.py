"""deploy/environment.md lists exactly the SARABAN_* settings the code reads: none missing, none stale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)

ROOT = Path(__file__).resolve().parents[2]
# read from the environment: os.environ[...] / .get(...) / getenv(...), settings.py's _paths(...), and the
# helpers that read a Django setting, else the environment (notifiers' setting(...), mail's conf.get(...)) —
# not getattr(settings, "SARABAN_…")
READ = re.compile(r"""(?:get\(|environ\[|getenv\(|_paths\(|setting\()\s*"""
                  r"""["'](SARABAN_[A-Z0-9_]*[A-Z0-9])["']""")
ROW = re.compile(r"^\| ([^|]*`SARABAN_[^|]*)\|", re.M)  # a row's first cell: one setting, or several related ones
LISTED = re.compile(r"`(SARABAN_[A-Z0-9_]+)`")


def read_by_code() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "src" / "saraban").rglob("*.py"):
        names |= set(READ.findall(path.read_text(encoding="utf-8")))
    return names


def test_environment_reference_matches_the_code() -> None:
    text = (ROOT / "deploy" / "environment.md").read_text(encoding="utf-8")
    listed = [name for cell in ROW.findall(text) for name in LISTED.findall(cell)]
    assert len(listed) == len(set(listed)), "listed twice"
    code = read_by_code()
    assert code - set(listed) == set(), "read by the code but not in deploy/environment.md"
    assert set(listed) - code == set(), "in deploy/environment.md but no longer read by the code"


def test_the_scan_finds_settings_read_in_every_way() -> None:
    code = read_by_code()
    # settings.py (os.environ.get / _paths), a module constant, a helper with a settings fallback
    assert {"SARABAN_HOME", "SARABAN_CRLS", "SARABAN_TOKEN_CACHE_TTL", "SARABAN_MAIL_DOMAIN",
            "SARABAN_MAIL_TLS_CERT"} <= code
    assert "SARABAN_TYPED_NAME_KINDS" not in code  # a Django setting, not read from the environment
    assert "SARABAN_MAX_LETTER_BYTES" not in code  # read with getattr(settings, …): made from SARABAN_MAX_LETTER_MB
