"""The Thai analyser: one text form to show, one to match, word tokens to rank, and highlighted snippets.

Thai is written without spaces between words, so *recall* comes from substring matching (trigrams): a
query term of three or more characters matches wherever it appears.  Word tokens (PyThaiNLP ``newmm``
with a dictionary of saraban words) rank the matches and serve the short terms: a query of one or two
characters matches letters with a word that starts with it.

- :func:`clean` is the form we show: Unicode NFC, no zero-width characters, ``ํ`` + ``า`` recomposed to
  ``ำ``, runs of whitespace one space.
- :func:`fold` is the form we match: :func:`clean`, then compatibility forms (NFKC, per character), Thai
  digits as Arabic, lower case, and ``ำ`` read as ``า`` with any stray ``ํ`` dropped: text pulled out of
  PDFs often loses ``ำ`` or turns ``า`` into ``ำ`` (DESIGN.md §7), and both sides fold the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TypeVar

from saraban.kernel.thai import parse_user_date

T = TypeVar("T")

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
NIKHAHIT, SARA_AM, SARA_AA = "\u0e4d", "\u0e33", "\u0e32"
MIN_TRIGRAM = 3
MAX_QUERY = 200
MAX_TERMS = 8
_ZW = dict.fromkeys(map(ord, ZERO_WIDTH))
_SPACES = re.compile(r"\s+")
_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")  # ํ (tone) า, the decomposed ำ
# words of the saraban trade kept whole by the tokenizer (the stock dictionary splits some of them)
SARABAN_WORDS = frozenset({
    "สารบรรณ", "สารบรรณอิเล็กทรอนิกส์", "ลงทะเบียนรับ", "ลงทะเบียนส่ง", "หนังสือเวียน", "เกษียน", "เกษียนหนังสือ",
    "บันทึกข้อความ", "หนังสือภายนอก", "หนังสือภายใน", "หนังสือประทับตรา", "หนังสือสั่งการ", "ทะเบียนหนังสือรับ",
    "ทะเบียนหนังสือส่ง", "สิ่งที่ส่งมาด้วย", "ด่วนที่สุด", "ด่วนมาก", "ลับมาก", "ลับที่สุด", "ส่วนราชการ", "เลขที่หนังสือ",
    "ผู้อำนวยการ", "ปลัดกระทรวง", "อธิบดี", "รองอธิบดี", "หัวหน้าส่วนราชการ", "งบประมาณ", "ปีงบประมาณ", "จัดซื้อจัดจ้าง",
    "แจ้งเวียน", "มอบหมาย", "ทราบและถือปฏิบัติ", "เพื่อโปรดทราบ", "เพื่อโปรดพิจารณา",
})


class _FoldTable(dict[int, str]):
    """``str.translate`` table folding one character at a time, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch == SARA_AM:
            out = SARA_AA
        elif ch == NIKHAHIT or ch in ZERO_WIDTH:
            out = ""
        elif "\u0e50" <= ch <= "\u0e59":
            out = str(code - 0x0E50)
        else:
            out = unicodedata.normalize("NFKC", ch).lower().replace(NIKHAHIT, "")
            if ch.isspace():
                out = " "
        self[code] = out
        return out


_FOLD = _FoldTable()
for _code in [*range(0x3000), *range(0xFF00, 0xFFF0)]:  # the usual characters, filled ahead: a plain dict
    _FOLD[_code]


class _SplitTable(dict[int, str]):
    """Letters, marks, digits and private-use characters stay; anything else becomes a space (the same
    characters SQLite's ``unicode61 categories 'L* N* Co M*'`` keeps in a token)."""

    def __missing__(self, code: int) -> str:
        out = chr(code) if unicodedata.category(chr(code))[0] in "LNM" or unicodedata.category(chr(code)) == "Co" \
            else " "
        self[code] = out
        return out


_SPLIT = _SplitTable()
for _code in range(0x3000):
    _SPLIT[_code]


# Fast paths for the usual text, ASCII and Thai only: ``str.translate`` with a table costs a few hundred
# nanoseconds a character, most of the time of indexing a letter; the same results come from C-speed
# ``lower``/``replace`` and one regular expression (tests/search/test_analyse.py compares them).
_PUNCTUATION = "\u00b6\u00b7\u2013\u2014\u2018\u2019\u201c\u201d"  # ¶ · – — ‘ ’ “ ” (our own joins use · and ¶)
assert all(_FOLD[ord(c)] == c for c in _PUNCTUATION)
_COMMON_CODES = (*range(0x80), *range(0x0E00, 0x0E80), *map(ord, _PUNCTUATION))
_COMMON = re.compile(f"[\\x00-\\x7f\u0e00-\u0e7f{_PUNCTUATION}]*")
_THAI_DIGITS = tuple((chr(0x0E50 + d), str(d)) for d in range(10))
_COMMON_SEPARATORS = re.compile("[" + re.escape("".join(chr(c) for c in _COMMON_CODES if _SPLIT[c] == " ")) + "]+")


def _fold_common(text: str) -> str:
    """``text.translate(_FOLD)`` for text of ASCII and Thai characters only."""
    text = text.lower()
    if SARA_AM in text:
        text = text.replace(SARA_AM, SARA_AA)
    if NIKHAHIT in text:
        text = text.replace(NIKHAHIT, "")
    for thai, arabic in _THAI_DIGITS:
        if thai in text:
            text = text.replace(thai, arabic)
    return text


def split_tokens(folded: str) -> list[str]:
    """Folded text split at anything but letters, marks and digits."""
    if _COMMON.fullmatch(folded):
        return _COMMON_SEPARATORS.sub(" ", folded).split()
    return folded.translate(_SPLIT).split()


_split = split_tokens


def clean(text: str) -> str:
    """The form shown to people: NFC, no zero-width characters, ``ำ`` whole, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text or "")
    if not text.isascii() and any(z in text for z in ZERO_WIDTH):
        text = text.translate(_ZW)
    if NIKHAHIT in text:
        text = _AM.sub(lambda m: m.group(1) + SARA_AM, text)
    return " ".join(text.split())  # what _SPACES.sub(" ", text).strip() gives, four times faster


def fold(text: str) -> str:
    """The form matched: see the module's docstring.  Folds character by character (so offsets map back)."""
    return fold_clean(clean(text))


def fold_clean(text: str) -> str:
    """:func:`fold` of text already :func:`clean`."""
    folded = _fold_common(text) if _COMMON.fullmatch(text) else text.translate(_FOLD)
    return " ".join(folded.split())


@cache
def _trie():  # type: ignore[no-untyped-def]
    from pythainlp.corpus import thai_words
    from pythainlp.util import dict_trie

    return dict_trie(set(thai_words()) | SARABAN_WORDS)


_THAI = re.compile("[\u0e01-\u0e4e]")


@lru_cache(maxsize=100_000)
def _chunk_words(chunk: str) -> tuple[str, ...]:
    from pythainlp.tokenize import word_tokenize

    if not _THAI.search(chunk):
        return tuple(_split(fold(chunk)))
    tokens = word_tokenize(chunk, custom_dict=_trie(), engine="newmm", keep_whitespace=False)
    return tuple(_split(fold(" ".join(tokens))))


def words(text: str) -> list[str]:
    """Folded word tokens of ``text`` (newmm with the saraban dictionary), in order; letters and digits only.
    Pieces between spaces are tokenized once per process (names, units and subjects repeat)."""
    out: list[str] = []
    for chunk in clean(text).split(" "):
        if chunk:
            out.extend(_chunk_words(chunk))
    return out


def plain_tokens(text: str) -> list[str]:
    """Folded tokens split at anything but letters and digits (no dictionary): numbers, codes, Latin words."""
    return _split(fold(text))


@dataclass(frozen=True)
class Term:
    """One term of a query, folded.  ``short`` terms (one or two characters) match word prefixes."""

    text: str

    @property
    def short(self) -> bool:
        return len(self.text) < MIN_TRIGRAM


_QUOTED = re.compile(r'"([^"]*)"')


def _date_term(raw: str) -> str | None:
    if not re.search(r"[/\-.\s]", raw.strip()):
        return None
    try:
        return parse_user_date(raw).isoformat()
    except (ValueError, IndexError):
        return None


def parse(query: str) -> list[Term]:
    """The terms of ``query`` (all must match): quoted phrases stay whole, a date in any written form
    (``5/1/2569``, ``5 ม.ค. 69``, ``2026-01-05``) becomes one date term, other words split at spaces."""
    raw = (query or "")[:MAX_QUERY]
    date = _date_term(raw)
    if date:
        return [Term(date)]
    terms: list[str] = []
    for phrase in _QUOTED.findall(raw):
        terms.append(_date_term(phrase) or fold(phrase))
    rest = _QUOTED.sub(" ", raw).replace('"', " ")
    for word in fold(rest).split(" "):
        if _split(word):
            terms.append(word)
    seen: list[Term] = []
    for t in terms:
        t = t.strip()
        # a short term matches the start of a word: only its letters and digits count ("ก." is "ก")
        for piece in (_split(t) if len(t) < MIN_TRIGRAM else [t]):
            term = Term(piece)
            if term.text and term not in seen:
                seen.append(term)
    return seen[:MAX_TERMS]


def matches(folded: str, terms: list[Term], tokens: set[str] | frozenset[str] | None = None) -> bool:
    """Does folded text match every term (the rule both backends implement)?  Short terms match a token's
    start; pass ``tokens`` (the text's words and plain tokens) for them."""
    for term in terms:
        if term.short:
            if not any(tok.startswith(term.text) for tok in (tokens or ())):
                return False
        elif term.text not in folded:
            return False
    return True


def word_starts(tokens: Iterable[str]) -> frozenset[str]:
    """The first one and two characters of each token: all a short term is matched against."""
    return frozenset(start for t in tokens for start in (t[:1], t[:2]))


def matching_starts(items: list[T], terms: list[Term], folded: Callable[[T], str],
                    starts: Callable[[T], frozenset[str]]) -> list[T]:
    """The items whose text matches: :func:`matches`, given each one's folded text and its tokens'
    :func:`word_starts` (a set lookup for a short term instead of a scan of every token), narrowed term by
    term (a comprehension a term over a cleared reader's 5,000 classified rows, where a call a row took 8 ms)."""
    for term in terms:
        items = [i for i in items if term.text in starts(i)] if term.short else \
            [i for i in items if term.text in folded(i)]
    return items


def _spans(text: str, terms: list[Term], limit: int) -> list[tuple[int, int]]:
    """Where the terms occur in ``text`` (display form, first ``limit`` characters), as display offsets."""
    head = text[:limit]
    if _COMMON.fullmatch(head) and NIKHAHIT not in head and head.isprintable():
        # ASCII, Thai and our punctuation, printable and without a stray ํ: every character folds to exactly
        # one, so folded offsets are display offsets (half of a query's CPU went into the loop below)
        return _spans_in(_fold_common(head), None, terms, len(head))
    starts: list[int] = []
    pieces: list[str] = []
    pos = 0
    for ch in head:
        starts.append(pos)
        piece = ch.translate(_FOLD)
        pieces.append(piece)
        pos += len(piece)
    starts.append(pos)
    return _spans_in("".join(pieces), starts, terms, len(head))


def _spans_in(folded: str, starts: list[int] | None, terms: list[Term], size: int) -> list[tuple[int, int]]:
    """The terms' spans in ``folded``, as display offsets (``starts[i]``: where display character ``i``
    begins in ``folded``; ``None``: the same offsets)."""
    spans: list[tuple[int, int]] = []
    for term in terms:
        at = folded.find(term.text)
        while at >= 0 and len(spans) < 50:
            if starts is None:
                begin, end = at, min(at + len(term.text), size)
            else:
                begin = next(i for i, s in enumerate(starts) if s >= at)
                end = next((i for i, s in enumerate(starts) if s >= at + len(term.text)), size)
            spans.append((begin, max(end, begin + 1)))
            at = folded.find(term.text, at + max(1, len(term.text)))
    return sorted(set(spans))


def snippet(text: str, terms: list[Term], *, width: int = 180, limit: int = 20000) -> list[tuple[str, bool]]:
    """A piece of ``text`` around the first match, as ``(text, highlighted)`` parts (HTML-escape on output).

    Text with a `` ¶ `` (subject and parties before it, the letter's words after it) is cut from its words
    when a term is found there, else from its subject and parties."""
    head, mark, body = text.partition(" ¶ ")
    if mark:
        return (_snippet(body, terms, width, limit) if _spans(body, terms, limit) else []) or \
            _snippet(head, terms, width, limit)
    return _snippet(text, terms, width, limit)


def _snippet(text: str, terms: list[Term], width: int, limit: int) -> list[tuple[str, bool]]:
    spans = _spans(text, terms, limit)
    if not spans:
        return [(text[:width] + ("…" if len(text) > width else ""), False)] if text else []
    first = spans[0][0]
    start = max(0, first - width // 3)
    if start:
        space = text.rfind(" ", max(0, start - 20), first)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    parts: list[tuple[str, bool]] = [("…", False)] if start else []
    at = start
    for b, e in spans:
        if b < at or b >= end:
            continue
        if b > at:
            parts.append((text[at:b], False))
        parts.append((text[b:e], True))
        at = e
    if at < end:
        parts.append((text[at:end], False))
    if end < len(text):
        parts.append(("…", False))
    return parts
