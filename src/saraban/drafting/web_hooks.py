"""What drafting adds to the web UI: a top-bar link, and the letter-page panels (signatures, drafting)."""

from __future__ import annotations


def register() -> None:
    return None
