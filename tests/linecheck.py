"""Where the lines of a PDF end, checked against the source text with PyThaiNLP (for the tests).

:func:`line_ends` reads the printed lines with poppler's ``pdftotext`` and, for every two lines in a
row whose joint lies inside one of the source texts, finds where in that text the line ended.
:func:`bad_line_ends` says which of those ends fall inside a word or a kept-together group.

A *word boundary* is a boundary of PyThaiNLP's ``newmm`` with its stock dictionary (not our
line-breaking dictionary: the check stays independent of the code it checks), or a whitespace.
One allowance: the stock dictionary holds long names whole (``สำนักงานสถิติแห่งชาติ``); inside such an
entry, made of shorter dictionary words, a line may end between two of those words.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

_SPACE = re.compile(r"\s+")
JOINT = 14
"""Characters taken from each side of a line end to find it in the source text."""


@cache
def _stock() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


def _splits_into_words(text: str) -> bool:
    words = _stock()
    n = len(text)
    reach = [False] * (n + 1)
    reach[0] = True
    for i in range(n):
        if reach[i]:
            for j in range(i + 2, n + 1):
                if text[i:j] in words:
                    reach[j] = True
    return reach[n]


@cache
def _without_stealers() -> object:
    """The stock dictionary less the compounds ``data/words.txt`` takes out (``-งานสารบรรณ``: it makes
    ``การดำเนิน|งานสารบรรณ`` as likely as ``การดำเนินงาน|สารบรรณ``)."""
    from pythainlp.util import dict_trie

    from saraban.letterpress.linebreak import WORDS_FILE

    removed = {w.strip()[1:] for w in WORDS_FILE.read_text(encoding="utf-8").splitlines() if w.strip().startswith("-")}
    return dict_trie(set(_stock()) - removed)


@cache
def boundaries(text: str) -> frozenset[int]:
    """Positions in ``text`` where a line may end: stock ``newmm`` word boundaries (with the stock
    dictionary, or without the few compounds that make a segmentation ambiguous), plus the joints
    between the words of a long stock entry made of shorter words."""
    from pythainlp.tokenize import word_tokenize

    out = {0, len(text)}
    pos = 0
    for token in word_tokenize(text, engine="newmm", keep_whitespace=True, custom_dict=_without_stealers()):
        pos += len(token)
        out.add(pos)
    pos = 0
    for token in word_tokenize(text, engine="newmm", keep_whitespace=True):
        end = pos + len(token)
        if len(token) >= 16 and token in _stock():
            out.update(pos + k for k in range(2, len(token) - 1)
                       if _splits_into_words(token[:k]) and _splits_into_words(token[k:]))
        out.add(end)
        pos = end
    return frozenset(out)


@dataclass(frozen=True)
class LineEnd:
    source: str
    position: int
    """Index in ``source`` of the first character of the next line."""

    def show(self) -> str:
        before = self.source[max(0, self.position - 15):self.position]
        return f"{before}|{self.source[self.position:self.position + 15]}"


def pdf_lines(pdf: bytes) -> list[str]:
    """The printed lines, in reading order, pages in turn (``pdftotext``)."""
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler-utils) is needed"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run([tool, f.name, "-"], capture_output=True, check=True).stdout.decode()
    return [line for line in out.replace("\f", "\n").splitlines() if line.strip()]


def _squashed(text: str) -> tuple[str, list[int]]:
    """``text`` without whitespace, and the index in ``text`` of each character kept."""
    keep = [i for i, c in enumerate(text) if not c.isspace()]
    return "".join(text[i] for i in keep), keep


def line_ends(pdf: bytes, sources: Iterable[str]) -> list[LineEnd]:
    """Every line end of ``pdf`` that falls inside one of ``sources`` (not at its start or end)."""
    texts = [(s, *_squashed(s)) for s in dict.fromkeys(sources) if s.strip()]
    lines = [_SPACE.sub("", line) for line in pdf_lines(pdf)]
    found: list[LineEnd] = []
    for line, following in itertools.pairwise(lines):
        left, right = line[-JOINT:], following[:JOINT]
        for source, flat, index in texts:
            at = flat.find(left + right)
            while at != -1:
                cut = at + len(left)
                if 0 < cut < len(flat):
                    found.append(LineEnd(source, index[cut]))
                at = flat.find(left + right, at + 1)
    return list(dict.fromkeys(found))


def bad_line_ends(pdf: bytes, sources: Iterable[str], groups: Sequence[str] = ()) -> tuple[list[str], int]:
    """(line ends inside a word or a group, shown as ``before|after``; how many line ends were checked)."""
    ends = line_ends(pdf, sources)
    bad = []
    for end in ends:
        source, pos = end.source, end.position
        at_space = source[pos - 1].isspace() or source[pos].isspace()
        in_group = any(start < pos < start + len(g) for g in groups for start in _find_all(source, g))
        if in_group or not (at_space or pos in boundaries(source)):
            bad.append(end.show())
    return bad, len(ends)


def _find_all(text: str, needle: str) -> list[int]:
    out, at = [], text.find(needle)
    while at != -1:
        out.append(at)
        at = text.find(needle, at + 1)
    return out


def html_texts(html: str) -> list[str]:
    """The texts of an HTML document (what was given to the typesetter), entities decoded."""
    import html as html_lib

    html = re.sub(r"<(style|script|title)\b.*?</\1\s*>", "", html, flags=re.S | re.I)
    return [html_lib.unescape(t) for t in re.split(r"<[^>]*>", html) if t.strip()]
