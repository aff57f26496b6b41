"""Small PDFs drawn with WeasyPrint and the bundled Sarabun font (stamps, annex pages, registers)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"


@cache
def font_css() -> str:
    faces = [("Regular", 400, "normal"), ("Bold", 700, "normal"), ("Italic", 400, "italic"),
             ("BoldItalic", 700, "italic")]
    return "\n".join(
        f"@font-face {{ font-family: 'Sarabun'; src: url('{(FONT_DIR / f'Sarabun-{name}.ttf').as_uri()}'); "
        f"font-weight: {weight}; font-style: {style}; }}"
        for name, weight, style in faces
    )


FONT_FILES = sorted(FONT_DIR.glob("Sarabun-*.ttf"))


def html_to_pdf(html: str, *, pdf_variant: str | None = None) -> bytes:
    """Render with WeasyPrint (Thai line breaks marked, :mod:`saraban.letterpress.linebreak`), then
    correct the text layer so copying text out gives back the source
    (``ำ`` and ``า`` included; see :mod:`saraban.letterpress.textmap`)."""
    import io

    import pikepdf
    from weasyprint import HTML

    from .linebreak import mark_html
    from .textmap import fix_text_mapping

    kwargs = {"pdf_variant": pdf_variant} if pdf_variant else {}
    raw = HTML(string=mark_html(html), base_url=str(FONT_DIR)).write_pdf(**kwargs)
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        fix_text_mapping(pdf, FONT_FILES)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()
