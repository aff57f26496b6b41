"""Make text copied out of our PDFs give back the source text, ``ำ`` and ``า`` included.

The trap (stack.md): HarfBuzz's Thai shaper splits SARA AM (``ำ``) into two glyphs, NIKHAHIT (``ํ``,
moved before any tone mark) and SARA AA (``า``).  A PDF maps each *glyph* to text once per font
(ToUnicode), but the same SARA AA glyph stands for ``า`` in ``งาน`` and for half of ``ำ`` in
``ดำเนิน``; WeasyPrint maps the glyph after whichever use it met first, so either every ``า`` reads as
``ำ`` or ``ำ`` loses its nikhahit.  Tone-mark variants reached through ligatures or substitutions
(``uni0E4D0E49``: nikhahit + mai tho) come out empty in the same way, so ``น้ำ`` becomes ``นำ``.

The fix works on the finished PDF, for fonts we embedded ourselves (we know their font files):

1. Each glyph's text is taken from the font itself: its ``cmap``, closed over the substitutions in
   ``GSUB`` (a variant reads as the character it replaces, a ligature as its components).
2. In every content stream, a nikhahit glyph followed (across tone marks) by a sara-aa glyph is one
   ``ำ``.  Those two occurrences are re-coded to new character codes (CIDs) that draw the *same*
   glyphs (through a ``CIDToGIDMap``) but map to ``""`` and ``"ำ"`` in ToUnicode.  The glyphs, their
   widths and the page look are unchanged; only extraction changes.
3. ToUnicode is rewritten from step 1, so every other glyph maps to its own character.

Every extractor that honours ToUnicode (poppler's ``pdftotext``, PDFium, pdf.js) then returns the
source text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pikepdf
from fontTools.ttLib import TTFont

NIKHAHIT = "\u0e4d"
SARA_AA = "\u0e32"
SARA_AM = "\u0e33"
# Marks the shaper may place between the nikhahit and the sara aa of one ``ำ``.
_BETWEEN = frozenset("\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e47")


@lru_cache(maxsize=16)
def glyph_texts(font_path: str) -> dict[int, str]:
    """Glyph id → the text that glyph stands for, from the font's cmap closed over its GSUB."""
    tt = TTFont(font_path, lazy=True)
    order = tt.getGlyphOrder()
    gid = {name: i for i, name in enumerate(order)}
    by_name: dict[str, str] = {}
    for cp, name in sorted(tt.getBestCmap().items()):
        by_name.setdefault(name, chr(cp))
    if "GSUB" in tt:
        edges = list(_gsub_edges(tt))
        changed = True
        while changed:
            changed = False
            for target, sources in edges:
                if target in by_name or not all(s in by_name for s in sources):
                    continue
                by_name[target] = "".join(by_name[s] for s in sources)
                changed = True
    return {gid[name]: text for name, text in by_name.items() if name in gid}


def _gsub_edges(tt: TTFont) -> Iterable[tuple[str, tuple[str, ...]]]:
    """(output glyph, input glyphs it stands for) for every substitution in the font."""
    for lookup in tt["GSUB"].table.LookupList.Lookup:
        for sub in lookup.SubTable:
            kind = lookup.LookupType
            if kind == 7:
                kind, sub = sub.ExtensionLookupType, sub.ExtSubTable
            if kind == 1:
                for src, dst in sub.mapping.items():
                    yield dst, (src,)
            elif kind == 2:
                for src, seq in sub.mapping.items():
                    if seq:
                        yield seq[0], (src,)
            elif kind == 3:
                for src, alts in sub.alternates.items():
                    for dst in alts:
                        yield dst, (src,)
            elif kind == 4:
                for first, ligatures in sub.ligatures.items():
                    for lig in ligatures:
                        yield lig.LigGlyph, (first, *lig.Component)


def _norm_font_name(name: str) -> str:
    name = name.split("+", 1)[-1].lower().replace("-", "").replace(" ", "").replace("_", "")
    return name.replace("regular", "")


@lru_cache(maxsize=16)
def _font_names(font_path: str) -> frozenset[str]:
    tt = TTFont(font_path, lazy=True)
    names = {n.nameID: n.toUnicode() for n in tt["name"].names if n.nameID in (1, 2, 4, 6, 16, 17)}
    family = names.get(16) or names.get(1, "")
    style = names.get(17) or names.get(2, "")
    found = {names.get(4, ""), names.get(6, ""), f"{family} {style}"}
    return frozenset(_norm_font_name(n) for n in found if n)


def _source_font(base_font: str, font_files: Sequence[Path]) -> Path | None:
    wanted = _norm_font_name(base_font)
    for path in font_files:
        if wanted in _font_names(str(path)):
            return path
    return None


_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")


def _read_tounicode(data: bytes) -> dict[int, str]:
    out: dict[int, str] = {}
    for block in _BFCHAR.findall(data):
        hexes = _HEX.findall(block)
        for src, dst in zip(hexes[::2], hexes[1::2], strict=False):
            out[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be") if dst else ""
    for block in _BFRANGE.findall(data):
        hexes = _HEX.findall(block)
        for lo, hi, dst in zip(hexes[::3], hexes[1::3], hexes[2::3], strict=False):
            base = bytes.fromhex(dst.decode()).decode("utf-16-be")
            for i, cid in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[cid] = base[:-1] + chr(ord(base[-1]) + i) if base else ""
    return out


def _write_tounicode(mapping: dict[int, str]) -> bytes:
    lines = [
        b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
        b"1 begincodespacerange", b"<0000> <FFFF>", b"endcodespacerange",
    ]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        chunk = items[start:start + 100]
        lines.append(f"{len(chunk)} beginbfchar".encode())
        for cid, text in chunk:
            lines.append(f"<{cid:04X}> <{text.encode('utf-16-be').hex().upper()}>".encode())
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _read_widths(w: pikepdf.Array) -> dict[int, float]:
    out: dict[int, float] = {}
    items = list(w)
    i = 0
    while i < len(items):
        first = int(items[i])
        nxt = items[i + 1]
        if isinstance(nxt, pikepdf.Array):
            for k, width in enumerate(nxt):
                out[first + k] = float(width)
            i += 2
        else:
            for cid in range(first, int(nxt) + 1):
                out[cid] = float(items[i + 2])
            i += 3
    return out


@dataclass
class _Font:
    """One embedded Type0 font of ours: the text of each of its glyph codes."""

    obj: pikepdf.Dictionary
    texts: dict[int, str]
    widths: dict[int, float]

    def text(self, cid: int) -> str:
        return self.texts.get(cid, "")

    def advance(self, atoms: list[_Atom], size: float) -> float:
        """How far a text-showing operator moves the pen (text space units)."""
        total = 0.0
        for atom in atoms:
            if isinstance(atom, int):
                total += self.widths.get(atom, 0.0)
            else:
                total -= float(atom[1])  # type: ignore[index]
        return total * size / 1000


def _fixable_font(font: pikepdf.Dictionary, font_files: Sequence[Path]) -> _Font | None:
    if font.get("/Subtype") != "/Type0" or font.get("/Encoding") != "/Identity-H":
        return None
    desc = font.DescendantFonts[0]
    if desc.get("/Subtype") != "/CIDFontType2" or desc.get("/CIDToGIDMap", "/Identity") != "/Identity":
        return None
    source = _source_font(str(font.get("/BaseFont", "")), font_files)
    if source is None:
        return None
    texts = dict(glyph_texts(str(source)))
    if "/ToUnicode" in font:
        for cid, text in _read_tounicode(font.ToUnicode.read_bytes()).items():
            texts.setdefault(cid, text)
    return _Font(font, texts, _read_widths(desc.get("/W", pikepdf.Array())))


# A text-showing instruction seen as atoms: 2-byte glyph codes (int) and TJ adjustments (Decimal...).
_Atom = int | object


def _atoms(operands: list[object], op: str) -> list[_Atom] | None:
    if op == "Tj":
        items: list[object] = [operands[0]]
    elif op == "TJ":
        items = list(operands[0])
    else:
        return None
    atoms: list[_Atom] = []
    for item in items:
        if isinstance(item, pikepdf.String):
            raw = bytes(item)
            atoms.extend(int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw) - 1, 2))
        else:
            atoms.append(("adjust", item))
    return atoms


def _span_open(text: str) -> tuple[list[object], pikepdf.Operator]:
    props = pikepdf.Dictionary(ActualText=pikepdf.String(text))
    return [pikepdf.Name.Span, props], pikepdf.Operator("BDC")


def _actual_text(texts: list[str]) -> str:
    """The text of a run of glyphs from their texts in drawing order, with each ``ำ`` rejoined."""
    out: list[str] = []
    nik: int | None = None  # index in ``out`` of the pending nikhahit glyph's text
    for text in texts:
        if text == SARA_AA and nik is not None:
            out[nik] = out[nik].replace(NIKHAHIT, "")
            out.append(SARA_AM)
            nik = None
        elif NIKHAHIT in text and all(ch in _BETWEEN or ch == NIKHAHIT for ch in text):
            nik = len(out)
            out.append(text)
        else:
            if not (nik is not None and text and all(ch in _BETWEEN for ch in text)):
                nik = None
            out.append(text)
    return "".join(out)


_NEW_LINE = frozenset({"BT", "ET", "Td", "TD", "T*", "'", '"'})


def _fix_stream(
    pdf: pikepdf.Pdf,
    owner: pikepdf.Page | pikepdf.Stream,
    fonts: dict[tuple[int, int], _Font | None],
    font_files: Sequence[Path],
    seen: set[tuple[int, int]],
) -> None:
    """Wrap each line of text of one content stream in an ActualText span holding its source text.

    WeasyPrint draws a text box from one ``Tm`` (spread over several text-showing operators: a new
    one for every raised mark); boxes that follow each other on the same baseline inside one text
    object (a label and its value, the cells of a table row) make one line, with a space where
    there is a gap.  Every line is wrapped, not only those with marks: poppler keeps the word being
    built open after a span, so a plain run drawn after a span would be glued to it.  One span per
    line also keeps table rows in reading order instead of being read column by column.
    """
    obj = owner.obj if isinstance(owner, pikepdf.Page) else owner
    resources = obj.get("/Resources") or pikepdf.Dictionary()
    by_name = _stream_fonts(resources, fonts, font_files)
    instructions = [(list(i.operands), i.operator) for i in pikepdf.parse_content_stream(owner)]
    spans = _line_spans(instructions, by_name)
    if spans:
        _wrap_spans(pdf, owner, instructions, spans)
    for xobject in (resources.get("/XObject") or pikepdf.Dictionary()).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            _fix_stream(pdf, xobject, fonts, font_files, seen)


def _stream_fonts(
    resources: pikepdf.Dictionary,
    fonts: dict[tuple[int, int], _Font | None],
    font_files: Sequence[Path],
) -> dict[str, _Font | None]:
    """Resource name → our font (``None``: not ours) for one stream, each font looked at once."""
    by_name: dict[str, _Font | None] = {}
    for name, font in (resources.get("/Font") or pikepdf.Dictionary()).items():
        key = font.objgen
        if key not in fonts:
            fonts[key] = _fixable_font(font, font_files)
        by_name[name] = fonts[key]
    return by_name


_Instruction = tuple[list[Any], pikepdf.Operator]


def _line_spans(instructions: list[_Instruction], by_name: dict[str, _Font | None]) -> dict[int, tuple[int, str]]:
    """The lines of text in ``instructions``: first instruction → (last instruction, source text).

    A line drawn (even in part) with a font that is not ours is left out.
    """
    current: _Font | None = None
    size = 0.0
    stack: list[tuple[_Font | None, float]] = []
    spans: dict[int, tuple[int, str]] = {}  # first instruction → (last instruction, text)
    run: list[int] = []
    texts: list[str] = []
    ours = True
    line_y: float | None = None  # baseline of the current line (Tm's f)
    pen_x: float | None = None  # where the pen stands after the last text shown on the line

    def close_run() -> None:
        nonlocal ours, line_y, pen_x
        if run and ours:
            spans[run[0]] = (run[-1], _actual_text(texts).strip())
        run.clear()
        texts.clear()
        ours = True
        line_y = pen_x = None

    for n, (operands, op) in enumerate(instructions):
        name = str(op)
        if name == "q":
            stack.append((current, size))
        elif name == "Q":
            current, size = stack.pop() if stack else (None, 0.0)
        elif name == "Tf":
            current, size = by_name.get(str(operands[0])), float(operands[1])
        elif name == "Tm":
            x, y = float(operands[4]), float(operands[5])
            if run and line_y is not None and abs(y - line_y) < 0.01:
                if pen_x is not None and x - pen_x > 0.15 * max(size, 1.0):
                    texts.append(" ")
            else:
                close_run()
                line_y = y
            pen_x = x
        elif name in _NEW_LINE:
            close_run()
        elif (atoms := _atoms(operands, name)) is not None:
            run.append(n)
            if current is None:
                ours = False
                continue
            texts.extend(current.text(a) for a in atoms if isinstance(a, int))
            if pen_x is not None:
                pen_x += current.advance(atoms, size)
    close_run()
    return spans


def _wrap_spans(
    pdf: pikepdf.Pdf,
    owner: pikepdf.Page | pikepdf.Stream,
    instructions: list[_Instruction],
    spans: dict[int, tuple[int, str]],
) -> None:
    """Rewrite ``owner``'s content with each span's instructions inside ``/Span <</ActualText>> BDC … EMC``."""
    rebuilt: list[_Instruction] = []
    closing: set[int] = set()
    for n, instruction in enumerate(instructions):
        if n in spans:
            last, text = spans[n]
            rebuilt.append(_span_open(text))
            closing.add(last)
        rebuilt.append(instruction)
        if n in closing:
            rebuilt.append(([], pikepdf.Operator("EMC")))
    data = pikepdf.unparse_content_stream(rebuilt)
    if isinstance(owner, pikepdf.Page):
        owner.obj.Contents = pdf.make_stream(data)
    else:
        owner.write(data)


def _finish_font(pdf: pikepdf.Pdf, font: _Font) -> None:
    mapping = {cid: font.text(cid) for cid in font.widths}
    font.obj.ToUnicode = pdf.make_stream(_write_tounicode(mapping))


def fix_text_mapping(pdf: pikepdf.Pdf, font_files: Sequence[Path]) -> int:
    """Fix ToUnicode (and re-code ``ำ`` pairs) of the fonts of ``pdf`` embedded from ``font_files``.

    Returns the number of fonts fixed.  Fonts that are not ours are left as they are.
    """
    fonts: dict[tuple[int, int], _Font | None] = {}
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        _fix_stream(pdf, page, fonts, font_files, seen)
    fixed = [f for f in fonts.values() if f is not None]
    for font in fixed:
        _finish_font(pdf, font)
    return len(fixed)
