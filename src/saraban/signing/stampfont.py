"""The font of visible signature blocks: Sarabun, prepared once per process for pyHanko.

pyHanko's glyph accumulator reads and subsets the font on every signature; most of that work is the same
every time (the parsed font, its reverse character map, a signer's subset), so it is kept here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import CIDFontType2, GlyphAccumulator, GlyphAccumulatorFactory, _read_ps_name

from saraban.kernel.thai import MONTHS_ABBR


@dataclass(frozen=True)
class StampFontFactory(GlyphAccumulatorFactory):
    """Sarabun for the visible signature block, prepared once per process.

    pyHanko's accumulator shapes with HarfBuzz and subsets with fontTools from one file.  Shaping
    needs the layout tables (Thai marks), subsetting is four times faster without them (they are
    dropped from the embedded subset anyway), so the accumulator gets a copy without GSUB/GPOS/GDEF
    — same glyph ids — and the full font's HarfBuzz face, both kept in memory.  The subset itself is
    remembered too (:class:`_StampFont`): the same signer's blocks need the same glyphs.
    """

    def create_font_engine(self, writer: Any, obj_stream: Any = None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return _StampFont(self.font_file, writer=writer, font_size=self.font_size, obj_stream=obj_stream)


_ALWAYS = "0123456789๐๑๒๓๔๕๖๗๘๙:.,/() " + "".join(MONTHS_ABBR) + "ลงนามโดยเมื่อ"
"""Characters every subset of the stamp font holds, whatever the block says (digits, the months,
the fixed words), so that a subset depends only on the signer's name and position."""


class _StampFont(GlyphAccumulator):
    """pyHanko's glyph accumulator with what is the same on every signature made once per process:
    the parsed font, its reverse character map, and each subset's font program."""

    def __init__(self, path: str, *, writer: Any, font_size: int, obj_stream: Any) -> None:
        prepared = _stamp_font(path)
        super().__init__(writer=writer, font_handle=io.BytesIO(prepared.stripped), font_size=font_size,
                         obj_stream=obj_stream)
        self.hb_font = prepared.hb_font
        self._prepared = prepared
        self.cidfont_obj = _ProgramCIDFont(self.tt, prepared.ps_name, self.subset_prefix)

    @property
    def _reverse_cmap(self) -> Any:
        return self._prepared.reverse_cmap

    def _extract_subset(self, options: Any = None) -> None:
        for char in _ALWAYS:
            gid = self._prepared.gids.get(char)
            if gid is not None:
                self._get_cid_and_width(gid)
        key = frozenset(self._glyphs)
        program = self._prepared.subsets.get(key)
        if program is None:
            super()._extract_subset(options)
            out = io.BytesIO()
            self.tt.save(out)
            program = out.getvalue()
            if len(self._prepared.subsets) >= 64:
                self._prepared.subsets.pop(next(iter(self._prepared.subsets)))
            self._prepared.subsets[key] = program
        assert isinstance(self.cidfont_obj, _ProgramCIDFont)
        self.cidfont_obj.program = program


class _ProgramCIDFont(CIDFontType2):
    """A TrueType CID font whose (subset) font program is given as bytes, not saved again."""

    program: bytes | None = None

    def set_font_file(self, writer: Any) -> Any:
        if self.program is None:
            return super().set_font_file(writer)
        stream = generic.StreamObject(stream_data=self.program)
        stream.compress()
        ref = writer.add_object(stream)
        self._font_descriptor[generic.pdf_name("/FontFile2")] = ref
        return ref


@dataclass
class _PreparedFont:
    stripped: bytes
    hb_font: Any
    ps_name: str
    reverse_cmap: Any
    gids: dict[str, int]
    subsets: dict[frozenset[int], bytes] = field(default_factory=dict)


@lru_cache(maxsize=4)
def _stamp_font(path: str) -> _PreparedFont:
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    data = Path(path).read_bytes()
    tt = TTFont(io.BytesIO(data))
    for tag in ("GSUB", "GPOS", "GDEF", "DSIG"):
        if tag in tt:
            del tt[tag]
    out = io.BytesIO()
    tt.save(out)
    cmap = tt.getBestCmap()
    return _PreparedFont(
        stripped=out.getvalue(), hb_font=hb.Font(hb.Face(data)), ps_name=_read_ps_name(tt),
        reverse_cmap=tt["cmap"].buildReversed(),
        gids={chr(code): tt.getGlyphID(name) for code, name in cmap.items()},
    )
