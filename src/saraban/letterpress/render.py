"""Letter content → PDF/A-2b, with WeasyPrint and the Sarabun font (regulation.md §4).

:func:`render_letter` returns the PDF together with what signing needs to know about it: where the
signature spaces and the agency-seal space are, where the verification QR code goes, how many
pages there are, and the letter's text exactly as it is printed (what ``pdftotext`` gives back).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import pikepdf
from django.template import Context, Engine

from saraban.kernel.thai import MONTHS_FULL, Digits, be_year, format_date, format_time
from saraban.kernel.thai import digits as to_digits

from . import emblem, linebreak
from .content import (
    Announcement,
    Body,
    Certificate,
    ExternalLetter,
    Heading,
    Items,
    Letter,
    Memo,
    MemoRecord,
    Minutes,
    Notice,
    Order,
    OtherRecord,
    Paragraph,
    Regulation,
    Secrecy,
    Signatory,
    StampedLetter,
    Statement,
    Table,
    Urgency,
    check_letter,
)
from .emblem import EmblemImage, EmblemLayout
from .errors import RenderFailed, TooManyPages
from .textmap import fix_text_mapping
from .weasy import IMAGES as _IMAGES
from .weasy import fonts as _fonts
from .weasy import stylesheet

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
FONT_FILES: dict[str, Path] = {
    "regular": FONT_DIR / "Sarabun-Regular.ttf",
    "bold": FONT_DIR / "Sarabun-Bold.ttf",
    "italic": FONT_DIR / "Sarabun-Italic.ttf",
    "bold_italic": FONT_DIR / "Sarabun-BoldItalic.ttf",
}
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

CM = 72 / 2.54
"""PDF points in a centimetre."""
_PX = 0.75
"""PDF points in a CSS pixel."""


@dataclass(frozen=True)
class RenderSettings:
    """An agency's choices for its letters."""

    digits: Digits = "thai"
    """Thai (๑๒๓) or Arabic (123) numerals for every number in the letter (R16)."""
    emblem: EmblemImage | Path | str | None = None
    """The agency's Garuda (an image, or an SVG/PNG file); ``None`` prints the placeholder that says
    it is one (:func:`saraban.letterpress.emblem.placeholder`)."""
    emblem_layout: EmblemLayout = field(default_factory=EmblemLayout)
    """Emblem heights and distance from the top edge (regulation.md §4)."""
    memo_date_style: Literal["full", "abbr", "memo"] = "abbr"
    """Memos may abbreviate the month (``25 พ.ค. 2564``, or ``25 พ.ค. 64`` with ``memo``)."""
    max_pages: int | None = None
    """Refuse a letter longer than this (``None``: no limit)."""
    pdfa: bool = True
    """Write PDF/A-2b (fonts embedded, colour profile, XMP metadata)."""
    file_copy: bool = False
    """Render the file copy (สำเนาคู่ฉบับ): drafter, typist and checker printed bottom right."""


@dataclass(frozen=True)
class Box:
    """A rectangle on a page in PDF points, origin at the bottom-left corner; ``page`` is 0-based."""

    page: int
    x: float
    y: float
    width: float
    height: float

    @property
    def rect(self) -> tuple[float, float, float, float]:
        return (self.x, self.y, self.x + self.width, self.y + self.height)


QR_BOX = Box(page=0, x=1.0 * CM, y=1.0 * CM, width=1.7 * CM, height=1.7 * CM)
"""Where the verification QR code goes: the bottom of the left margin of page 1, kept empty — a
centimetre from the paper's edges (printers leave the outer 5 mm blank) and clear of the text, which
starts 3 cm from the left edge."""


@dataclass(frozen=True)
class RenderedLetter:
    """A rendered letter and what signing needs to know about it."""

    letter: Letter
    settings: RenderSettings
    pdf: bytes
    text: str
    """The letter's printed text as it lies on the pages, a line per line box, pages ended by ``\\f``.

    Secrecy marks and page numbers (``– ๒ –``, with en dashes: poppler drops a hyphen that ends a
    line) are included, so ``pdftotext`` gives back this text, whitespace aside."""
    pages: int
    signature_boxes: tuple[Box, ...]
    """The empty signature spaces, in signing order (none in typed-name mode)."""
    seal_box: Box | None
    """The agency-seal space of a stamped letter."""
    anchors: dict[str, Box] = field(default_factory=dict)
    """Where elements with an id ended up: ``sig-1``…, ``seal-1``, ``emblem``."""
    page_texts: tuple[str, ...] = ()
    slots: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Signature or seal space (``sig-1``, ``seal-1``) → (page, line) its signed block's text precedes."""
    notices: tuple[Notice, ...] = ()
    html: str = field(default="", repr=False)
    qr_box: Box = QR_BOX


# --- text helpers ---------------------------------------------------------------------------------

_KEEP_ARABIC = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+|(?:https?://|www\.)\S+")


def digit_converter(style: Digits) -> Callable[[str], str]:
    """Convert the digits of a text to ``style``, leaving e-mail addresses and URLs as they are."""

    def convert(text: str) -> str:
        out: list[str] = []
        last = 0
        for m in _KEEP_ARABIC.finditer(text):
            out.append(to_digits(text[last:m.start()], style))
            out.append(m.group(0))
            last = m.end()
        out.append(to_digits(text[last:], style))
        return "".join(out)

    return convert


BLANK_LINE = "\u00a0"
"""What an undated draft prints where its date goes: a line that takes the date's room, so the
preview and the signed letter (dated at signing) break their pages alike."""


def _date(day: dt.date | None, style: Literal["full", "abbr", "memo"], t: Callable[[str], str],
          blank: str = BLANK_LINE) -> str:
    return t(format_date(day, style=style)) if day else blank


def _date_be(day: dt.date | None, t: Callable[[str], str]) -> str:
    """``25 พฤษภาคม พ.ศ. 2564`` as written after สั่ง ณ วันที่ / ประกาศ ณ วันที่ / ให้ไว้ ณ วันที่."""
    if day is None:
        return ""
    return t(f"{day.day} {MONTHS_FULL[day.month - 1]} พ.ศ. {be_year(day.year)}")


def _urgency(letter: Letter, t: Callable[[str], str]) -> str:
    if letter.urgency == Urgency.NORMAL:
        return ""
    if letter.urgent_by is not None:
        when = letter.urgent_by
        return t(f"ด่วนภายใน {format_date(when, style='abbr')} เวลา {format_time(when)}")
    return str(letter.urgency)


def _body(body: Body, t: Callable[[str], str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for block in body:
        if isinstance(block, Paragraph):
            out.append({"type": "p", "text": t(block.text), "indent": block.indent})
        elif isinstance(block, Heading):
            out.append({"type": "h", "text": t(block.text)})
        elif isinstance(block, Items):
            items = []
            for n, text in enumerate(block.items, start=block.start):
                marker = f"{n}." if block.ordered else "•"
                items.append((t(marker), t(text)))
            out.append({"type": "list", "items": items})
        elif isinstance(block, Table):
            cell = (lambda s: to_digits(s, "arabic")) if block.arabic_digits else t
            out.append({
                "type": "table",
                "header": [cell(c) for c in block.header],
                "rows": [[cell(c) for c in row] for row in block.rows],
            })
    return out


def _sigs(signatories: Sequence[Signatory], t: Callable[[str], str], *, first_label: str = "") -> list[dict[str, Any]]:
    """Signature blocks; a signatory in typed-name mode gets no signature space but the system time."""
    out = []
    for n, s in enumerate(signatories, start=1):
        typed = s.typed_at is not None
        position = ([first_label] if first_label else []) + list(s.position)
        typed_at = ""
        if s.typed_at is not None:
            typed_at = f"ลงนามโดยพิมพ์ชื่อในระบบ {format_date(s.typed_at, style='abbr')} {format_time(s.typed_at)}"
            if s.verified_by:
                typed_at += f" ยืนยันตัวตนด้วย {s.verified_by}"
        out.append({
            "anchor": "" if typed else f"sig-{n}",
            "name": t(f"({s.name})"),
            "position": [t(p) for p in position],
            "typed_at": t(typed_at),
        })
    return out


def _contact(letter: ExternalLetter | StampedLetter, t: Callable[[str], str]) -> list[str]:
    c = letter.contact
    if c is None:
        return []
    lines = [c.unit]
    if c.phone:
        lines.append(f"โทร. {c.phone}")
    if c.fax:
        lines.append(f"โทรสาร {c.fax}")
    if c.email:
        lines.append(f"ไปรษณีย์อิเล็กทรอนิกส์ {c.email}")
    return [t(line) for line in lines if line]


def _file_copy(letter: Letter, settings: RenderSettings, t: Callable[[str], str]) -> list[str]:
    marks = letter.file_copy
    if not settings.file_copy or marks is None:
        return []
    lines = [("ร่าง", marks.drafter), ("พิมพ์", marks.typist), ("ทาน", marks.checker)]
    return [t(f"{label} {who}") for label, who in lines if who]


# --- view models per kind -------------------------------------------------------------------------


def _context(letter: Letter, settings: RenderSettings) -> tuple[str, dict[str, Any]]:
    """The template of ``letter``'s kind and what it shows."""
    t = digit_converter(settings.digits)
    ctx: dict[str, Any] = {
        "kind": letter.kind.value,
        "title": letter.subject,
        # a plain urgency mark sits beside the emblem; a deadline (ด่วนภายใน…) is too long for that
        # and gets a line of its own under the emblem
        "urgency": "" if letter.urgent_by else _urgency(letter, t),
        "urgency_line": _urgency(letter, t) if letter.urgent_by else "",
        "secrecy": "" if letter.secrecy == Secrecy.NORMAL else str(letter.secrecy),
        "emblem_big_w": f"{settings.emblem_layout.garuda_cm * emblem.load(settings.emblem).aspect:.3f}",
        "emblem_small_w": f"{settings.emblem_layout.memo_cm * emblem.load(settings.emblem).aspect:.3f}",
        "subject": t(letter.subject),
        "body": _body(letter.body, t),
        "file_copy": _file_copy(letter, settings, t),
    }
    for cls, template, build in _KINDS:
        if isinstance(letter, cls):
            ctx.update(build(letter, settings, t))
            return template, ctx
    raise RenderFailed("unknown letter type", type=type(letter).__name__)  # pragma: no cover


def _external(letter: ExternalLetter, settings: RenderSettings, t: Callable[[str], str]) -> dict[str, Any]:
    salutation = letter.to.salutation
    opening = salutation.open(letter.to.title)
    word, _, rest = opening.partition(" ")
    return dict(
        number=t(f"ที่ {letter.number}".strip()),
        agency=[t(line) for line in letter.agency],
        date=_date(letter.date, "full", t),
        salutation_word=word,
        addressee=t(rest),
        references=[t(r) for r in letter.references],
        enclosures=_numbered(letter.enclosures, t),
        closing=salutation.closing,
        sigs=_sigs(letter.signatories, t),
        contact=_contact(letter, t),
        copies_to=[t(c) for c in letter.copies_to],
    )


def _memo(letter: Memo, settings: RenderSettings, t: Callable[[str], str]) -> dict[str, Any]:
    return dict(
        unit=t(letter.unit),
        number=t(letter.number),
        date=_date(letter.date, settings.memo_date_style, t),
        salutation=t(letter.to.salutation.open(letter.to.title)),
        sigs=_sigs(letter.signatories, t),
    )


def _stamped(letter: StampedLetter, settings: RenderSettings, t: Callable[[str], str]) -> dict[str, Any]:
    return dict(
        number=t(f"ที่ {letter.number}".strip()),
        to=t(letter.to),
        sending_agency=t(letter.sending_agency),
        seal_anchor="seal-1",
        date=_date(letter.date, "full", t),
        contact=_contact(letter, t),
    )


def _order(letter: Order, settings: RenderSettings, t: Callable[[str], str]) -> dict[str, Any]:
    return dict(
        title_lines=[t(f"คำสั่ง{letter.issuer}"), t(f"ที่ {letter.number}".strip()),
                     t(f"เรื่อง {letter.subject}")],
        issued_line=t(f"สั่ง ณ วันที่ {_date_be(letter.date, t)}"),
        sigs=_sigs(letter.signatories, t),
    )


def _regulation(letter: Regulation, settings: RenderSettings, t: Callable[[str], str]) -> dict[str, Any]:
    about = f"ว่าด้วย{letter.subject}"
    if letter.edition:
        about += f" (ฉบับที่ {letter.edition})"
    year = letter.year_be or (be_year(letter.date.year) if letter.date else None)
    lines = [f"{letter.heading_word}{letter.issuer}", about] + ([f"พ.ศ. {year}"] if year else [])
    return dict(
        title_lines=[t(line) for line in lines],
        issued_line=t(f"ประกาศ ณ วันที่ {_date_be(letter.date, t)}"),
        sigs=_sigs(letter.signatories, t),
    )


def _announcement(letter: Announcement, settings: RenderSettings, t: Callable[[str], str]) -> dict[str, Any]:
    return dict(
        title_lines=[t(f"{letter.heading_word}{letter.issuer}"), t(f"เรื่อง {letter.subject}")],
        issued_line=t(f"{letter.heading_word} ณ วันที่ {_date_be(letter.date, t)}"),
        sigs=_sigs(letter.signatories, t),
    )


def _statement(letter: Statement, settings: RenderSettings, t: Callable[[str], str]) -> dict[str, Any]:
    lines = [f"{letter.heading_word}{letter.issuer}", f"เรื่อง {letter.subject}"]
    if letter.series_no:
        lines.append(f"ฉบับที่ {letter.series_no}")
    return dict(
        title_lines=[t(line) for line in lines],
        issuer_lines=[t(letter.issuer), _date(letter.date, "full", t)],
    )


def _certificate(letter: Certificate, settings: RenderSettings, t: Callable[[str], str]) -> dict[str, Any]:
    return dict(
        number=t(f"เลขที่ {letter.number}".strip()),
        agency=[t(line) for line in letter.agency],
        issued_line=t(f"ให้ไว้ ณ วันที่ {_date_be(letter.date, t)}"),
        sigs=_sigs(letter.signatories, t),
        photo=Path(letter.photo).resolve().as_uri() if letter.photo else "",
    )


def _minutes(letter: Minutes, settings: RenderSettings, t: Callable[[str], str]) -> dict[str, Any]:
    lines = [f"รายงานการประชุม{letter.subject}"]
    if letter.session:
        lines.append(f"ครั้งที่ {letter.session}")
    if letter.date:
        lines.append(f"เมื่อวันที่ {format_date(letter.date, style='full')}")
    if letter.place:
        lines.append(f"ณ {letter.place}")
    people = []
    for label, group in (("ผู้มาประชุม", letter.attendees), ("ผู้ไม่มาประชุม", letter.absentees),
                         ("ผู้เข้าร่วมประชุม", letter.participants)):
        if group:
            rows = [[t(f"{n}."), t(a.name), t(a.position)] + ([t(a.note)] if a.note else [])
                    for n, a in enumerate(group, start=1)]
            people.append({"label": label, "rows": rows})
    return dict(
        title_lines=[t(line) for line in lines],
        people=people,
        started=t(f"เริ่มประชุมเวลา {letter.started}") if letter.started else "",
        ended=t(f"เลิกประชุมเวลา {letter.ended}") if letter.ended else "",
        sigs=_sigs((letter.recorder,), t, first_label="ผู้จดรายงานการประชุม"),
    )


def _memo_record(letter: MemoRecord, settings: RenderSettings, t: Callable[[str], str]) -> dict[str, Any]:
    return dict(
        salutation=t(letter.to.salutation.open(letter.to.title)),
        sigs=_sigs((letter.recorder,), t),
        date=_date(letter.date, settings.memo_date_style, t, blank=""),  # a typed-name record has none
    )


def _other(letter: OtherRecord, settings: RenderSettings, t: Callable[[str], str]) -> dict[str, Any]:
    lines = [letter.title] + ([letter.agency] if letter.agency else [])
    return dict(
        title_lines=[t(line) for line in lines],
        issued_line=t(f"ให้ไว้ ณ วันที่ {_date_be(letter.date, t)}") if letter.date else "",
        sigs=_sigs(letter.signatories, t),
    )


_KINDS: tuple[tuple[type[Any], str, Callable[[Any, RenderSettings, Callable[[str], str]], dict[str, Any]]], ...] = (
    (ExternalLetter, "external.html", _external),
    (Memo, "memo.html", _memo),
    (StampedLetter, "stamped.html", _stamped),
    (Order, "headed.html", _order),
    (Regulation, "headed.html", _regulation),
    (Announcement, "headed.html", _announcement),
    (Statement, "headed.html", _statement),
    (Certificate, "certificate.html", _certificate),
    (Minutes, "minutes.html", _minutes),
    (MemoRecord, "memo_record.html", _memo_record),
    (OtherRecord, "other.html", _other),
)
"""Each kind's class (checked in this order: a subclass goes with its parent), template and context."""


def _numbered(items: Sequence[str], t: Callable[[str], str]) -> list[str]:
    if len(items) <= 1:
        return [t(i) for i in items]
    return [t(f"{n}. {item}") for n, item in enumerate(items, start=1)]


# --- HTML ------------------------------------------------------------------------------------------

_engine = Engine(dirs=[str(TEMPLATE_DIR)], autoescape=True)


def letter_html(letter: Letter, settings: RenderSettings | None = None) -> str:
    """The letter as an HTML page (what :func:`render_letter` prints)."""
    html, css = _html_and_css(letter, settings or RenderSettings())
    return html.replace(_EMPTY_STYLE, f"<style>{css}</style>", 1)


_EMPTY_STYLE = "<style></style>"


def _html_and_css(letter: Letter, settings: RenderSettings) -> tuple[str, str]:
    """The letter's HTML page with an empty ``<style>``, and the stylesheet that goes in it."""
    template, ctx = _context(letter, settings)
    layout = settings.emblem_layout
    css = _letter_css(f"{layout.garuda_cm:.2f}", f"{layout.memo_cm:.2f}", f"{layout.top_cm:.2f}", ctx["secrecy"],
                      "thai" if settings.digits == "thai" else "decimal")
    ctx["css"] = ""
    return _engine.get_template(template).render(Context(ctx)), css


@lru_cache(maxsize=64)
def _letter_css(garuda_cm: str, memo_cm: str, top_cm: str, secrecy: str, counter_style: str) -> str:
    page_css = _engine.get_template("page.css").render(Context({
        "fonts": {k: v.as_uri() for k, v in FONT_FILES.items()},
        "garuda_cm": garuda_cm, "memo_cm": memo_cm, "top_cm": top_cm, "secrecy": secrecy,
        "counter_style": counter_style,
    }))
    return page_css + (TEMPLATE_DIR / "letter.css").read_text(encoding="utf-8")


def _layout_text(document: Any) -> tuple[list[str], dict[str, tuple[int, int]]]:
    """The printed text of each page, read from WeasyPrint's layout (not from the PDF).

    Page furniture comes first (top margin boxes) and last (bottom ones), as it lies on the page;
    each line box gives one line.  Also returns, for each signature or seal space, the (page, line)
    its signed block's text goes before.
    """
    from weasyprint.formatting_structure import boxes

    pages: list[str] = []
    slots: dict[str, tuple[int, int]] = {}
    for index, page in enumerate(document.pages):
        root = page._page_box  # WeasyPrint keeps the laid-out page here
        lines: list[str] = []
        current: list[str] = []

        def flush(lines: list[str] = lines, current: list[str] = current) -> None:
            line = _SPACES.sub(" ", linebreak.unmark("".join(current))).strip()
            if line:
                lines.append(line)
            current.clear()

        def walk(box: Any, index: int = index, lines: list[str] = lines, current: list[str] = current,
                 flush: Callable[[], None] = flush) -> None:
            element = getattr(box, "element", None)
            if element is not None and isinstance(box, boxes.InlineBlockBox):
                classes = (element.get("class") or "").split()
                if "sig-space" in classes or "seal-space" in classes:
                    flush()
                    slots[element.get("id") or ""] = (index, len(lines))
            if isinstance(box, boxes.TextBox):
                current.append(box.text)
                return
            line = isinstance(box, boxes.LineBox | boxes.BlockContainerBox)
            if line:
                flush()
            for child in box.all_children():
                walk(child)
            if line:
                flush()

        margins = [c for c in root.children if isinstance(c, boxes.MarginBox)]
        ordered = (
            [c for c in margins if c.at_keyword.startswith("@top")]
            + [c for c in root.children if not isinstance(c, boxes.MarginBox)]
            + [c for c in margins if c.at_keyword.startswith("@bottom")]
        )
        for child in ordered:
            walk(child)
        flush()
        pages.append("\n".join(lines))
    return pages, slots


_SPACES = re.compile(r"\s+")


# --- PDF --------------------------------------------------------------------------------------------

def _anchors(document: Any) -> dict[str, Box]:
    """Every element with an ``id`` (signature and seal spaces, the emblem) as a box in PDF points."""
    found: dict[str, Box] = {}
    for index, page in enumerate(document.pages):
        height_pt = page.height * _PX
        for name, (x1, y1, x2, y2) in page.anchors.items():
            found[name] = Box(index, x1 * _PX, height_pt - y2 * _PX, (x2 - x1) * _PX, (y2 - y1) * _PX)
    return found


def render_letter(letter: Letter, settings: RenderSettings | None = None) -> RenderedLetter:
    """Render ``letter`` to a PDF/A-2b with embedded fonts and a correct text layer.

    Raises :class:`~saraban.letterpress.errors.LetterpressError` for a letter that cannot be drafted
    (empty subject, missing fields, ลับที่สุด) and :class:`TooManyPages` past ``max_pages``.
    """
    settings = settings or RenderSettings()
    notices = check_letter(letter)
    bare, css = _html_and_css(letter, settings)
    html = bare.replace(_EMPTY_STYLE, f"<style>{css}</style>", 1)
    config = _fonts()
    from weasyprint import HTML  # on first use (see .weasy)

    try:
        # The stylesheet goes in parsed (cached) rather than as the page's <style>; the same rules in
        # the same order (the line-breaking rule it is given sets only what no letter rule sets).
        document = HTML(string=linebreak.mark_html(bare), base_url=str(TEMPLATE_DIR)).render(
            stylesheets=[stylesheet(css, config, str(TEMPLATE_DIR))], font_config=config, cache=_IMAGES)
    except Exception as exc:  # WeasyPrint raises many kinds; report one
        raise RenderFailed(str(exc)) from exc
    pages = len(document.pages)
    if settings.max_pages is not None and pages > settings.max_pages:
        raise TooManyPages(pages, settings.max_pages)
    anchors = _anchors(document)
    sig_boxes = [anchors[k] for k in sorted((k for k in anchors if k.startswith("sig-")), key=lambda k: int(k[4:]))]
    raw = document.write_pdf(pdf_variant="pdf/a-2b" if settings.pdfa else None)
    page_texts, slots = _layout_text(document)
    return RenderedLetter(
        letter=letter,
        settings=settings,
        pdf=_finish(raw, emblem.load(settings.emblem), anchors.get("emblem")),
        text="".join(t + "\f" for t in page_texts),
        page_texts=tuple(page_texts),
        slots=slots,
        pages=pages,
        signature_boxes=tuple(sig_boxes),
        seal_box=anchors.get("seal-1"),
        anchors=anchors,
        notices=tuple(notices),
        html=html,
    )


def _fix_text_layer(raw: bytes) -> bytes:
    """The PDF with its text layer corrected, nothing else changed."""
    return _finish(raw, None, None)


def _finish(raw: bytes, image: EmblemImage | None, where: Box | None) -> bytes:
    """The PDF with its text layer corrected and the emblem drawn into its box (a form made once per
    emblem, :func:`saraban.letterpress.emblem.form_pdf`)."""
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        fix_text_mapping(pdf, list(FONT_FILES.values()))
        if image is not None and where is not None:
            emblem.draw(pdf, image, where.page, where.rect)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=False)
        return out.getvalue()
