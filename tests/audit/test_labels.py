"""Every action the code defines has a Thai and English label, so no timeline shows a bare action name."""

from __future__ import annotations

import re
from pathlib import Path

from saraban.audit.labels import LABELS

SRC = Path(__file__).resolve().parents[2] / "src" / "saraban"


def test_every_action_is_labelled() -> None:
    names = set()
    for path in SRC.rglob("*.py"):
        names |= set(re.findall(r'^@action\("([a-z_.]+)"\)', path.read_text(encoding="utf-8"), re.M))
    assert len(names) > 40
    missing = sorted(n for n in names if n not in LABELS)
    assert missing == []
