"""The emblem printed at the top of a letter: the agency's configured image, or a plain placeholder.

Official paper carries the Garuda (ตราครุฑ), 3 cm high on external letters and directives, 1.5 cm on
memos (regulation.md §4).  Saraban ships no Garuda artwork: the placeholder is a plain drawn circle
and star, and each agency configures its own image (SVG or PNG) in the render settings.
"""

from __future__ import annotations

from pathlib import Path

from .errors import LetterpressError

PLACEHOLDER = Path(__file__).with_name("emblem-placeholder.svg")

_ALLOWED = {".svg", ".png", ".jpg", ".jpeg"}


def emblem_path(configured: Path | str | None = None) -> Path:
    """The emblem image to print: ``configured`` if given (it must exist), else the placeholder."""
    if configured is None:
        return PLACEHOLDER
    path = Path(configured)
    if path.suffix.lower() not in _ALLOWED or not path.is_file():
        raise LetterpressError(
            "ไม่พบไฟล์ภาพตราสัญลักษณ์ของส่วนราชการ หรือชนิดไฟล์ไม่รองรับ",
            "The agency emblem image is missing or of an unsupported type",
            code="emblem_missing",
            details={"path": str(path)},
        )
    return path


def emblem_uri(configured: Path | str | None = None) -> str:
    """A ``file://`` URI of :func:`emblem_path` for the HTML template."""
    return emblem_path(configured).resolve().as_uri()
