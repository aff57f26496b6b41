"""OCR of scanned pages: each page drawn at 300 dpi (pypdfium2) and read by Tesseract in Thai and English."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

LANGS = "tha+eng"
DPI = 300


class OcrUnavailable(RuntimeError):
    """Tesseract (with its Thai data) is not installed."""


def pages(data: bytes, content_type: str) -> Iterator[object]:
    """PIL images of the pages of a PDF, or the one image of an image file."""
    import io

    from PIL import Image

    if content_type.startswith("image/"):
        yield Image.open(io.BytesIO(data))
        return
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        for i in range(len(doc)):
            page = doc[i]
            yield page.render(scale=DPI / 72, grayscale=True).to_pil()
            page.close()
    finally:
        doc.close()


class PageReader(Protocol):
    def __call__(self, image: object) -> str:
        """The text of one page's picture."""
        ...


_override: PageReader | None = None


def use(reader: PageReader | None) -> None:
    """Install another page reader (a fake in tests), or ``None`` for Tesseract."""
    global _override
    _override = reader


def read_page(image: object) -> str:
    if _override is not None:
        return _override(image)
    return tesseract(image)


def tesseract(image: object) -> str:
    import pytesseract

    try:
        return pytesseract.image_to_string(image, lang=LANGS, config="--psm 3")
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrUnavailable("tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-tha)") from exc


def recognise(data: bytes, content_type: str, progress: Callable[[int], None] | None = None) -> str:
    """The text of every page, pages separated by a form feed; ``progress(n)`` after each page."""
    out = []
    for n, image in enumerate(pages(data, content_type), start=1):
        out.append(read_page(image))
        if progress:
            progress(n)
    return "\f".join(out)
