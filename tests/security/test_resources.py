"""Resources are bounded: page images by pixels whatever the page or ``?w=`` says (one request once took
12 s and 1.5 GB), and expensive views by a rate limit per caller."""

from __future__ import annotations

import datetime as dt
import io
import json
import time

import pikepdf
import pytest
from django.test import Client, override_settings
from PIL import Image

from saraban.letterpress import raster
from saraban.letters.models import LetterFile
from tests.fixtures import make_pdf, meta, user

pytestmark = pytest.mark.django_db


def huge_page_pdf(points: float = 14400, user_unit: float | None = None) -> bytes:
    """One page of ``points`` × ``points`` (200 inches a side; with /UserUnit, far more)."""
    with pikepdf.open(io.BytesIO(make_pdf())) as pdf:
        page = pdf.pages[0]
        page.obj["/MediaBox"] = [0, 0, points, points]
        if "/CropBox" in page.obj:
            del page.obj["/CropBox"]
        if user_unit:
            page.obj["/UserUnit"] = user_unit
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as im:
        return im.size


@pytest.mark.parametrize("width", [900, 2000, 100_000, -5])
def test_a_huge_page_is_drawn_within_the_pixel_cap(width) -> None:
    start = time.perf_counter()
    w, h = _size(raster.page_png(huge_page_pdf(), 1, width=width))
    assert w * h <= raster.MAX_PIXELS and max(w, h) <= raster.MAX_SIDE
    assert time.perf_counter() - start < 5


def test_user_unit_does_not_escape_the_cap() -> None:
    w, h = _size(raster.page_png(huge_page_pdf(14400, user_unit=75000), 1, width=2000))
    assert w * h <= raster.MAX_PIXELS


def test_an_a4_page_is_as_wide_as_asked() -> None:
    assert _size(raster.page_png(make_pdf(), 1, width=900))[0] == 900
    assert _size(raster.page_png(make_pdf(), 1, width=50_000))[0] <= raster.MAX_WIDTH


def test_page_image_view_with_hostile_width(registrar_api, clock) -> None:
    r = registrar_api.incoming(meta(), pdf=huge_page_pdf())
    assert r.status_code == 201, r.content
    f = LetterFile.objects.get(role="letter")
    c = Client()
    c.force_login(user("registrar"))
    for w in ("100000", "999999999999999999999", "abc", ""):
        resp = c.get(f"/letters/{f.letter_id}/files/{f.pk}/page/1.png", {"w": w})
        assert resp.status_code == 200
        width, height = _size(resp.content)
        assert width * height <= raster.MAX_PIXELS


@override_settings(SARABAN_RATE_LIMITS={"preview": (3, 60)})
def test_page_images_are_rate_limited_per_user(registrar_api, clock) -> None:
    assert registrar_api.incoming(meta()).status_code == 201
    f = LetterFile.objects.get(role="letter")
    url = f"/letters/{f.letter_id}/files/{f.pk}/page/1.png"
    c = Client()
    c.force_login(user("registrar"))
    assert [c.get(url).status_code for _ in range(3)] == [200, 200, 200]
    r = c.get(url)
    assert r.status_code == 429
    assert 0 < int(r["Retry-After"]) <= 60
    assert 'data-code="rate_limited"' in r.content.decode() and "มีคำขอมากเกินไป" in r.content.decode()
    other = Client()
    other.force_login(user("secretary"))  # another person is not held back by the first one's count
    assert other.get(url).status_code in (200, 404)
    clock.advance(seconds=61)
    assert c.get(url).status_code == 200


@override_settings(SARABAN_RATE_LIMITS={"export": (2, 60), "search": (2, 60)})
def test_exports_and_searches_are_rate_limited_on_the_api(registrar_api, clock) -> None:
    assert registrar_api.incoming(meta()).status_code == 201
    for _ in range(2):
        assert registrar_api.get("/registers/received/2569/export.csv").status_code == 200
    r = registrar_api.get("/registers/received/2569/export.csv")
    assert r.status_code == 429 and r.json()["code"] == "rate_limited" and r["Retry-After"]
    assert r.json()["message_en"] and r.json()["details"]["limit"] == 2
    for _ in range(2):
        assert registrar_api.get("/registers/received/2569", q="การพิมพ์").status_code == 200
    assert registrar_api.get("/registers/received/2569", q="การพิมพ์").status_code == 429
    assert registrar_api.get("/registers/received/2569").status_code == 200  # listing without a search is not


@override_settings(SARABAN_RATE_LIMITS={"validate": (2, 60)})
def test_public_signature_checks_are_rate_limited_by_address(org) -> None:
    c = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(2):
        c.post("/verify/", {"file": io.BytesIO(b"not a pdf")})
    r = c.post("/verify/", {"file": io.BytesIO(b"not a pdf")})
    assert r.status_code == 429
    assert Client(REMOTE_ADDR="203.0.113.10").post("/verify/", {}).status_code != 429


def test_counters_are_shared_and_old_windows_are_forgotten(clock) -> None:
    from saraban.transport import limits
    from saraban.transport.models import RateCount

    assert [limits.hit("k", 2, 60) for _ in range(3)][:2] == [0, 0]
    assert RateCount.objects.get(key="k").count == 3
    clock.advance(hours=2)
    assert limits.hit("k", 2, 60) == 0
    assert RateCount.objects.filter(key="k").count() == 1  # the old window was deleted
    assert json.dumps(limits.DEFAULTS)  # every kind has a default
    assert dt.timedelta(seconds=limits.limit_for("preview")[1])
