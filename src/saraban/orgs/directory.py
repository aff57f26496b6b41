"""Reading an organisation (agencies, units, positions, people) from a data file.

The file format is the TOML of ``data/demo_mdes.toml``; loading it
(:func:`saraban.orgs.actions.load_directory`) is idempotent (matched on codes and usernames), so an
administrator can keep the organisation in a file and load it again after edits.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from saraban.kernel import clock

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo_mdes.toml"


def read(path: Path) -> dict[str, Any]:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def file_day(value: object) -> dt.date:
    """A date in the file: ISO text, a TOML date, or a whole number of days from today (demo data)."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int):
        return clock.today() + dt.timedelta(days=value)
    return dt.date.fromisoformat(str(value))
