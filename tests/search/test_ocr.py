"""A scanned Thai letter is found by a word of its body after OCR (Tesseract, Thai).

The scan is made here: a letter rendered by letterpress, drawn to a picture, saved as a PDF of that picture
(no text layer), then registered like any incoming paper letter.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from saraban.letterpress.examples import external
from saraban.letterpress.raster import page_png
from saraban.letterpress.render import render_letter
from saraban.letters.models import LetterFile
from saraban.search import index, texts
from saraban.search.models import FileText
from saraban.storage import blobs
from tests.fixtures import meta

pytestmark = pytest.mark.django_db


def scanned_letter() -> bytes:
    rendered = render_letter(external())
    picture = Image.open(io.BytesIO(page_png(rendered.pdf, 1, width=1654))).convert("L")  # A4 at 200 dpi
    out = io.BytesIO()
    picture.save(out, format="PDF", resolution=200)
    return out.getvalue()


def test_scan_is_read_by_ocr_and_found_by_a_word_of_its_body(registrar_api, clock,
                                                             django_capture_on_commit_callbacks) -> None:
    scan = scanned_letter()
    assert texts.layer_text(scan)[0].strip() == ""  # a picture: nothing to search before OCR
    r = registrar_api.incoming(meta(subject="หนังสือกระดาษที่สแกนเข้ามา", their_ref="ดศ 0201/1234"), pdf=scan)
    assert r.status_code == 201, r.content
    with django_capture_on_commit_callbacks(execute=True):
        index.catch_up()  # the worker's follower: reads the file, finds a scan, queues its OCR
    original = LetterFile.objects.get(letter_id=r.json()["id"], role="letter")
    ft = FileText.objects.get(file=original)
    assert (ft.source, ft.status, ft.pages_done, ft.pages_total) == ("ocr", "done", 1, 1)
    assert blobs.read(original.blob) == scan  # the original is untouched
    assert ft.blob is not None and blobs.read(ft.blob).decode() == ft.text  # the text is kept beside it
    assert texts.text_of(original.pk) == ft.text  # what the desk's pre-filling reads
    # words of the body, not of the register fields: found only through OCR
    for word in ("อิเล็กทรอนิกส์", "แนวทางการจัดเก็บ", "กรมศิลปากร"):
        hits = registrar_api.get("/search", q=word).json()["hits"]
        assert [h["id"] for h in hits] == [r.json()["id"]], word
        assert any(p["hit"] for p in hits[0]["snippet"])
    page = registrar_api.client.get(f"/letters/{r.json()['id']}/", **registrar_api.headers)
    assert page.status_code in (200, 302)


def test_ocr_failure_is_shown_and_can_be_asked_again(registrar_api, clock, django_capture_on_commit_callbacks) -> None:
    from saraban.search import ocr
    from saraban.search.actions import request_ocr
    from tests.fixtures import user

    def broken(image: object) -> str:
        raise ocr.OcrUnavailable("tesseract is not installed")

    ocr.use(broken)
    try:
        r = registrar_api.incoming(meta(subject="สแกน"), pdf=scanned_letter())
        with django_capture_on_commit_callbacks(execute=True):
            index.catch_up()
    finally:
        ocr.use(None)
    original = LetterFile.objects.get(letter_id=r.json()["id"], role="letter")
    ft = FileText.objects.get(file=original)
    assert ft.status == "failed" and "tesseract" in ft.error
    assert registrar_api.get("/search", q="กรมศิลปากร").json()["total"] == 0
    ocr.use(lambda image: "หนังสือที่อ่านได้ภายหลัง กรมศิลปากร")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            request_ocr(user("registrar"), original)
    finally:
        ocr.use(None)
    assert FileText.objects.get(file=original).status == "done"
    assert registrar_api.get("/search", q="กรมศิลปากร").json()["total"] == 1
