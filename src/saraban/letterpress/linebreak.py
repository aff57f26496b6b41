"""Thai line breaking we control: where a line may end, marked before WeasyPrint lays the text out.

Pango breaks Thai lines by its own dictionary (libthai) and splits words a Thai reader keeps whole
(``เห็น|ชอบ``, ``ผู้อำนวย|การ``), and it breaks number groups (``พ.ศ. | ๒๕๖๗``).  So before layout
every text is cut into *pieces* that must not be broken:

* words, from PyThaiNLP's ``newmm`` with a dictionary made for line breaking — the stock word list,
  less the long names it holds whole (a ministry's name may break between its words), plus the
  saraban words of ``data/words.txt`` (positions, titles, the words of agency names, official
  phrases);
* what Thai typists keep together: day + month + year, พ.ศ. + year, ฉบับที่ / ครั้งที่ / ข้อ + number,
  a number + its unit, prefix + name + surname, ที่ + a letter's reference, telephone numbers, URLs
  and e-mail addresses; an opening bracket stays with what follows it, closing punctuation with
  what precedes it.

In the HTML, a piece Pango might break is wrapped in ``<span class="tw">`` (``white-space:
nowrap``) and pieces not separated by a space are joined by a ZERO WIDTH SPACE, the only place a
line may then end.  Neither leaves a mark in the PDF's text: the span is no text, and the zero
width space is no glyph (Pango draws nothing for it), so ``pdftotext`` gives back the source text.

:func:`mark_html` does this for every text of an HTML document (letters, register prints, receipt
stamps, annexes: everything :mod:`saraban.letterpress` renders goes through it).

Wrapping every word would make WeasyPrint's layout twice as slow (a box per word), so Pango is
first given the same dictionary: libthai, which Pango asks where Thai lines may break, reads its
word list from ``$LIBTHAI_DICTDIR/thbrk.tri``; :func:`install` writes ours there (a libdatrie trie,
made once and kept in a cache directory) before the process lays out any Thai text.  Then Pango
already breaks between our words, and only the pieces it would still split (dates, names with a
space, unknown words) need a span: each piece is checked against Pango's own break analysis, so
the result is right even where the dictionary could not be installed — only slower.
"""

from __future__ import annotations

import gc
import hashlib
import html as html_lib
import logging
import os
import re
import tempfile
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from saraban.kernel.cachedir import cache_dir
from saraban.kernel.thai import MONTHS_ABBR, MONTHS_FULL

ZWSP = "\u200b"
KEEP_CLASS = "tw"
CSS = f"span.{KEEP_CLASS}{{white-space:nowrap}}"
WORDS_FILE = Path(__file__).resolve().parent / "data" / "words.txt"

LONG_NAME = 16
"""Stock dictionary entries this long or longer that are made of shorter words (ministry and
agency names, set phrases) are left out of the line-breaking dictionary: they may break between
their words."""

_D = "[0-9๐-๙]"
_MONTHS = "|".join(re.escape(m) for m in (*MONTHS_FULL, *MONTHS_ABBR))
_THAI = "\u0e00-\u0e7f"
_PREFIX_WORDS = frozenset({"นางสาว", "นาง", "นาย", "ดร", "ว่าที่ร้อยตรี", "ผศ", "รศ", "ศ", "นพ", "พญ"})

_GROUPS = re.compile("|".join(f"(?:{p})" for p in (
    # URLs and e-mail addresses, whole
    r"(?:https?://|www\.)[^\s<>]+",
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
    # ที่ + a letter's reference: ที่ ดศ 0201/1234, นร 0105/ว 123, ดศ 0201.2/456, สพธอ 01/
    rf"(?:(?<![{_THAI}])ที่\s+)?(?<![{_THAI}A-Za-z])[ก-ฮ]{{1,5}}(?:\.[ก-ฮ]{{1,5}})*\.?\s?{_D}{{2,}}(?:\.{_D}+)*"
    rf"/(?:(?:ว|ลับ)\s?)?{_D}*",
    # day + month + year (and month + year): 15 มีนาคม 2567, ๕ มี.ค. ๖๗, 5 เดือน มีนาคม พ.ศ. 2567
    rf"(?:{_D}{{1,2}}\s*(?:เดือน\s*)?)?(?:{_MONTHS})\s*(?:พ\.ศ\.\s*)?{_D}{{2,4}}(?!{_D})",
    rf"(?:พ\.ศ\.|ค\.ศ\.)\s*{_D}{{1,4}}",
    # a label + its number: (ฉบับที่ 2), ครั้งที่ 1/2567, ข้อ 3, ที่ 15/2567
    rf"(?:ฉบับที่|ครั้งที่|วาระที่|ลำดับที่|เลขที่|เลขรับ|มาตรา|ข้อ|หมวด|ชั้น|ห้อง|หน้า|(?<![{_THAI}])ที่)"
    rf"\s?{_D}+(?:[./]{_D}+)*",
    # times and telephone numbers: 09.30 น., โทร. 0 2141 6747
    rf"{_D}{{1,2}}[.:]{_D}{{2}}\s?น\.",
    rf"(?:(?:โทร\.?|โทรสาร)\s?)?{_D}+(?:[ -]{_D}+)+",
    # abbreviations: สป.ดศ., ธ.ค., ฯลฯ
    rf"(?<![{_THAI}])(?:[ก-ฮ]{{1,4}}\.){{2,}}",
)))
_NUMBER = re.compile(rf"^{_D}[0-9๐-๙,.:/]*$")
_OPENING = set("([{“‘«")
_CLOSING = set(")]}”’»,.:;!?%ๆฯ")
_SPACE = re.compile(r"(\s+)")


# --- dictionary ------------------------------------------------------------------------------------


def _word_file() -> list[str]:
    lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.lstrip().startswith("#")]


def saraban_words() -> frozenset[str]:
    """The words of ``data/words.txt`` (its ``-word`` lines are words taken out, :func:`trimmed_words`)."""
    return frozenset(w for w in _word_file() if not w.startswith("-"))


def _compound(word: str, words: frozenset[str] | set[str]) -> bool:
    """Whether ``word`` is made of two or more shorter dictionary words (each two letters or more)."""
    n = len(word)
    reach = [False] * (n + 1)  # reach[i]: word[:i] is a sequence of words
    reach[0] = True
    for i in range(n):
        if not reach[i]:
            continue
        for j in range(i + 2, n + 1 if i else n):  # the first word is shorter than the whole
            if not reach[j] and word[i:j] in words:
                reach[j] = True
    return reach[n]


@cache
def trimmed_words() -> frozenset[str]:
    """Entries of PyThaiNLP's word list left out for line breaking: names and set phrases with spaces,
    long entries made of shorter words (``กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม``), and the ``-word`` lines
    of ``data/words.txt`` (compounds that steal a word's end: ``การดำเนิน|งานสารบรรณ``)."""
    from pythainlp.corpus import thai_words

    stock = set(thai_words())
    removed = {w[1:] for w in _word_file() if w.startswith("-")}
    return frozenset(w for w in stock if any(c.isspace() for c in w) or w in removed
                     or (len(w) >= LONG_NAME and _compound(w, stock)))


@cache
def dictionary() -> Any:
    """The line-breaking dictionary (a PyThaiNLP trie), built once per process (about a second)."""
    from pythainlp.corpus import thai_words
    from pythainlp.util import dict_trie

    trie = dict_trie((set(thai_words()) - trimmed_words()) | saraban_words())
    # The trie and the word lists are some 600,000 objects that live as long as the process: moved out
    # of the collector's generations, a full collection no longer walks them (it took 300 ms, now and
    # then in the middle of a render).
    gc.freeze()
    return trie


def words(text: str) -> list[str]:
    """``text`` cut into words (whitespace runs kept as tokens)."""
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(text, custom_dict=dictionary(), engine="newmm", keep_whitespace=True)


# --- Pango's dictionary -----------------------------------------------------------------------------

log = logging.getLogger(__name__)
_LIBTHAI_RANGES = (("\u0e01", "\u0e3a"), ("\u0e40", "\u0e4e"))


def _write_libthai_trie(words: Iterable[str], path: Path) -> None:
    """The words as a libdatrie trie file in libthai's alphabet (Thai letters and marks)."""
    import datrie

    trie = datrie.BaseTrie(ranges=list(_LIBTHAI_RANGES))
    for word in words:
        if all(any(lo <= c <= hi for lo, hi in _LIBTHAI_RANGES) for c in word):
            trie[word] = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        trie.save(tmp)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


@cache
def install() -> Path | None:
    """Give Pango (through libthai) the line-breaking dictionary; returns its directory, or ``None``
    when it could not be installed (the spans then do all the work).  Must run before the first Thai
    line break of the process: :func:`mark` and :func:`mark_html` call it."""
    if os.environ.get("LIBTHAI_DICTDIR"):  # the operator's own choice, or an earlier install
        return Path(os.environ["LIBTHAI_DICTDIR"])
    from pythainlp.corpus import thai_words

    words = sorted((set(thai_words()) - trimmed_words()) | saraban_words())
    digest = hashlib.sha256("\n".join(words).encode()).hexdigest()[:16]
    directory = cache_dir() / f"thbrk-{digest}"
    path = directory / "thbrk.tri"
    try:
        if not path.is_file():
            _write_libthai_trie(words, path)
    except (OSError, ImportError) as exc:
        log.warning("Thai line-breaking dictionary not installed for Pango (%s); spans do the work", exc)
        return None
    os.environ["LIBTHAI_DICTDIR"] = str(directory)
    return directory


# --- pieces ----------------------------------------------------------------------------------------


def _is_thai(token: str) -> bool:
    return any("\u0e01" <= c <= "\u0e4e" for c in token)


def _atoms(text: str) -> list[str]:
    """Kept-together groups, words and whitespace runs, in order."""
    atoms: list[str] = []
    last = 0
    for m in _GROUPS.finditer(text):
        atoms.extend(_free(text[last:m.start()]))
        atoms.append(m.group(0))
        last = m.end()
    atoms.extend(_free(text[last:]))
    return atoms


def _free(text: str) -> list[str]:
    return [t for t in words(text) if t] if text else []


def _name_end(atoms: list[str], i: int) -> int:
    """If ``atoms[i]`` is a prefix (นาย, นางสาว…) followed by a first name, a space and a surname, the
    index just past the surname; else ``i + 1``."""
    if atoms[i].rstrip(".") not in _PREFIX_WORDS:
        return i + 1
    j = i + 1
    while j < len(atoms) and not atoms[j].isspace() and _is_thai(atoms[j]):
        j += 1
    if j == i + 1 or j + 1 >= len(atoms) or atoms[j] != " " or not _is_thai(atoms[j + 1]):
        return i + 1
    j += 1
    while j < len(atoms) and not atoms[j].isspace():
        j += 1
    return j


def pieces(text: str) -> list[str]:
    """``text`` as unbreakable pieces and the whitespace between them: a line may end only between
    two pieces (``"".join(pieces(t)) == t``)."""
    atoms = _atoms(text)
    merged: list[str] = []
    i = 0
    while i < len(atoms):  # prefix + name + surname
        end = _name_end(atoms, i)
        merged.append("".join(atoms[i:end]))
        i = end
    out: list[str] = []
    glue = False  # the last piece stays with the next one (an opening bracket, a number before its unit)
    for i, atom in enumerate(merged):
        space = atom.isspace()
        if out and not space and not out[-1].isspace() and (glue or atom[0] in _CLOSING):
            out[-1] += atom
        elif out and space and glue and _unit_follows(atom, merged, i):
            out[-1] += atom  # a number and its unit: "80 พรรษา"
            continue
        else:
            out.append(atom)
        glue = not space and (out[-1][-1] in _OPENING or bool(_NUMBER.match(atom)))
    return out


def _unit_follows(space: str, atoms: list[str], i: int) -> bool:
    return space == " " and i + 1 < len(atoms) and _is_thai(atoms[i + 1]) and not atoms[i + 1][0].isspace()


@lru_cache(maxsize=65536)
def _needs_span(piece: str) -> bool:
    """Whether Pango would break inside ``piece``: its own rules (libthai's dictionary for Thai, UAX #14
    for the rest) asked directly, so only the pieces it would split get a span."""
    if len(piece) < 2:
        return False
    install()
    from weasyprint.text.ffi import ffi, pango

    data = piece.encode()
    attrs = ffi.new("PangoLogAttr[]", len(piece) + 1)
    pango.pango_get_log_attrs(data, len(data), -1, _thai_language(), attrs, len(piece) + 1)
    return any(attrs[i].is_line_break for i in range(1, len(piece)))


@cache
def _thai_language() -> Any:
    from weasyprint.text.ffi import pango

    return pango.pango_language_from_string(b"th")


@lru_cache(maxsize=8192)
def mark(text: str) -> str:
    """``text`` as escaped HTML with its break points marked (see the module docstring).

    Remembered per text (a paragraph, a field): the preview, the signed letter and the register
    prints lay out the same texts again, and word cutting is most of this work."""
    out: list[str] = []
    previous_space = True
    for piece in pieces(text):
        if piece.isspace():
            out.append(piece)
            previous_space = True
            continue
        if not previous_space:
            out.append(ZWSP)
        escaped = html_lib.escape(piece, quote=False)
        out.append(f'<span class="{KEEP_CLASS}">{escaped}</span>' if _needs_span(piece) else escaped)
        previous_space = False
    return "".join(out)


_TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_SKIP = {"style", "script", "title", "head", "textarea"}


def _text_nodes(html: str) -> Iterable[tuple[bool, str]]:
    """(is text to mark, chunk) over an HTML document, tags and the contents of style/script kept."""
    skipping: str | None = None
    for chunk in _TAG.split(html):
        if not chunk:
            continue
        if chunk.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", chunk)
            tag = name.group(1).lower() if name else ""
            if skipping is None and tag in _SKIP and not chunk.startswith("</") and tag != "head":
                skipping = tag
            elif skipping is not None and chunk.startswith("</") and tag == skipping:
                skipping = None
            yield False, chunk
        else:
            yield skipping is None and not chunk.isspace(), chunk


def mark_html(html: str) -> str:
    """An HTML document with the break points of every text marked, and the rule they need."""
    install()
    out = [mark(html_lib.unescape(chunk)) if is_text else chunk for is_text, chunk in _text_nodes(html)]
    marked = "".join(out)
    style = f"<style>{CSS}</style>"
    head_end = re.search(r"</head\s*>", marked, re.I)
    if head_end:
        return marked[:head_end.start()] + style + marked[head_end.start():]
    return style + marked


def unmark(text: str) -> str:
    """``text`` without the break marks (the layout's text, as the reader sees it)."""
    return text.replace(ZWSP, "")


def warm() -> None:
    """Build the dictionaries now (a server does it before taking requests)."""
    install()
    dictionary()
