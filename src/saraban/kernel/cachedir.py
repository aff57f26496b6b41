"""Where Saraban keeps files it makes once per machine and reuses (Pango's Thai dictionary, emblem images,
the empty schema)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_dir() -> Path:
    """``$SARABAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/saraban``, else ``~/.cache/saraban``."""
    if os.environ.get("SARABAN_CACHE_DIR"):
        return Path(os.environ["SARABAN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "saraban"


def write_once(path: Path, data: bytes) -> Path:
    """``data`` at ``path`` (a name that says what it holds, e.g. its hash): written atomically, once."""
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path
