"""How many pages of a letter's file a reader can page through (every page, not only the first)."""

from __future__ import annotations

from saraban.letterpress.raster import page_count
from saraban.letters.models import LetterFile
from saraban.storage import blobs


def page_numbers(view: LetterFile | None) -> range:
    """1…n for the file shown: its recorded page count, else counted from the file itself (a derived copy such
    as the stamped one may not carry a count)."""
    if view is None:
        return range(0)
    pages = view.pages
    if not pages:
        try:
            pages = page_count(blobs.read(view.blob))
        except Exception:  # not a PDF that opens: show what the page renderer can (page 1)
            pages = 1
    return range(1, max(pages, 1) + 1)
