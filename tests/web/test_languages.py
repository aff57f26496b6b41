"""Issue 17 (point 6): complete Thai and English.  Every page the URL list has, rendered in English for the
people of the demo ministry, shows no Thai outside what people wrote (names, letters, units: anything stored
in the database); rendered in Thai it shows no stray English UI words.

The test walks Django's URL resolver like tests/security/test_every_read_audited.py does, so a new page is
checked as soon as it is routed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from tests.fixtures import user
from tests.security.test_every_read_audited import _fill, _web_routes, world  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

PEOPLE = ["registrar", "secretary", "permsec", "admin"]
THAI = re.compile(r"[\u0e00-\u0e7f]+(?:[\s\d.,/()\-]*[\u0e00-\u0e7f]+)*")
SKIP_TAGS = {"script", "style", "code", "pre", "textarea"}
ATTRS = ("placeholder", "aria-label", "title", "alt")
# UI words that stay as they are in Thai pages too: product, standard and format names
ENGLISH_OK = {"saraban", "sbx", "pdf", "sha-256", "csv", "xlsx", "otp", "line", "en", "e-mail", "email", "imap",
              "smtp", "id", "url", "png", "ocr", "ca", "crl", "ocsp", "tsa", "json", "api", "b.e.", "pdf/a",
              "word", "excel", "english", "garuda"}


VOID = {"input", "img", "br", "hr", "meta", "link", "source", "wbr", "col", "area", "base", "embed"}


class _Text(HTMLParser):
    """The words a person sees (and hears from a screen reader): text outside scripts, plus labels in attributes.
    An element marked in another language (``<a lang="th">ไทย</a>`` on an English page) is that language's."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self.parts: list[str] = []
        self.skipping: list[str] = []  # the open elements since the one that started a skipped stretch

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag not in VOID:
                self.skipping.append(tag)
            return
        other = dict(attrs).get("lang") not in (None, self.lang) and tag != "html"
        if tag in SKIP_TAGS or other:
            if tag not in VOID:
                self.skipping.append(tag)
            return
        for name, value in attrs:
            if name in ATTRS and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            self.parts.append(data)


def shown_text(html: str, lang: str = "en") -> str:
    p = _Text(lang)
    p.feed(html)
    return "\n".join(p.parts)


def content_words() -> list[str]:
    """Everything people and the organisation wrote: every stored text value, longest first."""
    found: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label in ("auth", "contenttypes", "sessions", "admin"):
            continue
        fields = [f.name for f in model._meta.get_fields()
                  if isinstance(f, models.CharField | models.TextField) and not f.choices]
        for name in fields:
            for value in model.objects.values_list(name, flat=True).distinct()[:5000]:
                if value and THAI.search(str(value)):
                    found.update({str(value), *str(value).split(" · ")})
        for f in model._meta.get_fields():
            if isinstance(f, models.JSONField):
                for value in model.objects.values_list(f.name, flat=True)[:5000]:
                    found.update(_strings(value))
    return sorted((w for w in found if w.strip()), key=len, reverse=True)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if THAI.search(value) else []
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def pages(w: dict[str, Any]) -> list[str]:
    out = []
    for route in _web_routes():
        if any(x in route for x in ("export.", ".png", ".pdf", ".eml", "hooks/", ".well-known", "sbx/v1",
                                     "/files/", "enclosures/<", "/original")):
            continue
        out.append("/" + _fill(route, w, "csv"))
    return out


def render_all(w: dict[str, Any], lang: str) -> dict[str, str]:
    seen: dict[str, str] = {}
    for who in PEOPLE:
        c = Client()
        c.force_login(user(who))
        c.get(f"/?lang={lang}")
        for path in pages(w):
            if path in seen:
                continue
            r = c.get(path)
            if r.status_code == 200 and r.get("Content-Type", "").startswith("text/html"):
                seen[path] = shown_text(r.content.decode())
    return seen


def test_english_pages_show_no_thai_outside_what_people_wrote(world) -> None:  # noqa: F811
    rendered = render_all(world, "en")
    assert len(rendered) >= 25, sorted(rendered)
    words = content_words()
    problems: dict[str, set[str]] = {}
    for path, text in rendered.items():
        for w in words:
            if w in text:
                text = text.replace(w, " ")
        left = {m.group(0) for m in THAI.finditer(text)}
        if left:
            problems[path] = left
    report = "\n".join(f"{p}: {sorted(v)}" for p, v in sorted(problems.items()))
    assert not problems, "Thai words left on English pages:\n" + report


ENGLISH_WORD = re.compile(r"(?<![\w@./:-])[A-Za-z][a-z]{2,}(?:\s+[a-z]{2,})*(?![\w@./:-])")


def all_content(words: list[str]) -> list[str]:
    """Every stored value, Thai or not (people's e-mail addresses, file names, English agency names …)."""
    found = set(words)
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.CharField | models.TextField) and not f.choices:
                found.update(str(v) for v in model.objects.values_list(f.name, flat=True).distinct()[:5000] if v)
    return sorted((w for w in found if len(w.strip()) > 1), key=len, reverse=True)


def test_thai_pages_show_no_stray_english_ui_words(world) -> None:  # noqa: F811
    rendered = render_all(world, "th")
    assert len(rendered) >= 25, sorted(rendered)
    words = all_content(content_words())
    problems: dict[str, set[str]] = {}
    for path, text in rendered.items():
        for w in words:
            if w in text:
                text = text.replace(w, " ")
        left = {m.group(0) for m in ENGLISH_WORD.finditer(text) if m.group(0).lower() not in ENGLISH_OK}
        if left:
            problems[path] = left
    report = "\n".join(f"{p}: {sorted(v)}" for p, v in sorted(problems.items()))
    assert not problems, "English UI words on Thai pages:\n" + report
