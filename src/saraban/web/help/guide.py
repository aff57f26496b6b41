"""The user guide: ``docs/guide/<page>.md`` (Thai first; ``<page>.en.md`` where an English version exists)
rendered to HTML with markdown-it-py, raw HTML off, so the guide works offline from the app itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

import saraban

from .areas import PAGES, TITLES_EN


def guide_dir() -> Path:
    """``SARABAN_GUIDE_DIR``, else the guide shipped in the package (wheel), else the source tree's docs/guide."""
    configured = getattr(settings, "SARABAN_GUIDE_DIR", "")
    if configured:
        return Path(configured)
    packaged = Path(saraban.__file__).resolve().parent / "guide"
    return packaged if packaged.is_dir() else Path(saraban.__file__).resolve().parents[2] / "docs" / "guide"


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    html: str
    lang: str


_LINK = re.compile(r'href="([a-z]+)(?:\.en)?\.md(#[^"]*)?"')
_IMG = re.compile(r'src="img/([A-Za-z0-9_.-]+\.png)"')


def _source(slug: str, lang: str) -> Path | None:
    base = guide_dir()
    for name in ([f"{slug}.en.md"] if lang == "en" else []) + [f"{slug}.md"]:
        if (base / name).is_file():
            return base / name
    return None


@lru_cache(maxsize=64)
def _render(path: Path, mtime: float) -> tuple[str, str]:
    from markdown_it import MarkdownIt

    text = path.read_text(encoding="utf-8")
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    html = md.render(text)
    html = _LINK.sub(lambda m: f'href="/help/{"" if m.group(1) == "index" else m.group(1) + "/"}{m.group(2) or ""}"',
                     html)
    html = _IMG.sub(r'src="/help/img/\1" loading="lazy"', html)
    title = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("# ")), path.stem)
    return title, html


def page(slug: str, lang: str = "th") -> Page | None:
    if slug not in PAGES:
        return None
    path = _source(slug, lang)
    if path is None:
        return None
    title, html = _render(path, path.stat().st_mtime)
    written_in = "en" if path.name.endswith(".en.md") else "th"
    if lang == "en" and written_in == "th":  # the page itself is Thai until its English is written
        title = TITLES_EN.get(slug, title)
    return Page(slug, title, html, written_in)


def image(name: str) -> Path | None:
    if not re.fullmatch(r"[A-Za-z0-9_.-]+\.png", name):
        return None
    path = guide_dir() / "img" / name
    return path if path.is_file() else None
