"""Issue 17 (point 7): help.  The guide (docs/guide, Thai first) is served at /help/…, its links and pictures
work offline, every page links to its part of it, and each role gets a first-run tour."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from saraban.web.help.areas import PAGES, area_for, help_url
from saraban.web.help.guide import guide_dir
from tests.fixtures import user
from tests.security.test_every_read_audited import world  # noqa: F401 - fixture
from tests.web.test_languages import pages

pytestmark = pytest.mark.django_db
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide"


def test_the_guide_has_one_thai_page_per_area_with_small_screenshots() -> None:
    assert guide_dir().resolve() == GUIDE.resolve()
    for slug in PAGES:
        text = (GUIDE / f"{slug}.md").read_text(encoding="utf-8")
        assert text.startswith("# ") and re.search(r"[\u0e00-\u0e7f]", text.splitlines()[0]), slug
    shots = list((GUIDE / "img").glob("*.png"))
    assert len(shots) >= 10
    for png in shots:
        assert png.stat().st_size <= 150 * 1024, png.name


def test_every_guide_page_renders_with_working_links_and_pictures(org) -> None:
    c = Client()
    c.force_login(user("registrar"))
    for slug in PAGES:
        r = c.get("/help/" if slug == "index" else f"/help/{slug}/")
        assert r.status_code == 200, slug
        html = r.content.decode()
        for src in re.findall(r'<img src="(/help/img/[^"]+)"', html):
            assert c.get(src).status_code == 200, src
        for href in re.findall(r'href="(/help/[^"#]*)', html):
            assert c.get(href).status_code == 200, href
        assert ".md" not in re.sub(r"<code>.*?</code>", "", html)  # links point at pages, not at files
    assert c.get("/help/nothing/").status_code == 404
    assert c.get("/help/img/..%2Fsettings.py").status_code == 404


def test_every_page_links_to_its_part_of_the_guide(world) -> None:  # noqa: F811
    assert area_for("/") == "desk" and area_for("/inbox/") == "routing" and area_for("/drafts/x/") == "drafting"
    assert help_url("/exchange/awaiting/") == "/help/exchange/" and help_url("/search/") == "/help/search/"
    c = Client()
    c.force_login(user("registrar"))
    checked = 0
    for path in pages(world):
        r = c.get(path)
        if r.status_code != 200 or not r.get("Content-Type", "").startswith("text/html"):
            continue
        html = r.content.decode()
        if "<header" not in html:
            continue  # fragments (htmx panels) have no header of their own
        link = re.search(r'<a class="help" href="([^"]+)" data-help-link>', html)
        assert link, path
        assert c.get(link.group(1)).status_code == 200, (path, link.group(1))
        checked += 1
    assert checked >= 15


def test_each_role_gets_its_own_first_run_tour(org) -> None:
    seen = {}
    for who in ("registrar", "director", "officer", "admin"):
        c = Client()
        c.force_login(user(who))
        html = c.get("/inbox/").content.decode()
        m = re.search(r'<section class="tour" id="tour" data-tour="\d+\.(\w+)" hidden', html)
        assert m, who
        seen[who] = m.group(1)
        assert re.search(r'href="/help/\w+/"', html[m.start():])
    assert seen == {"registrar": "registrar", "director": "executive", "officer": "officer", "admin": "admin"}
