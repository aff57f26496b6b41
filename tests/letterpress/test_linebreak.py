"""Thai line breaking we control: every line end of a realistic letter of every kind falls at a word
boundary (PyThaiNLP, stock dictionary) and no kept-together group is split; the marks leave nothing in
the extracted text; and the guarantee holds even when Pango has its own dictionary, not ours."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from saraban.letterpress import linebreak
from saraban.letterpress.examples import EXAMPLES
from saraban.letterpress.render import RenderSettings, digit_converter, letter_html, render_letter

from ..linecheck import bad_line_ends, html_texts
from .pdftools import pdfium_text, pdftotext, squash
from .realistic import GROUPS, realistic

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("digits", ["thai", "arabic"])
def test_every_line_end_of_every_kind_falls_between_words(digits: str) -> None:
    t = digit_converter(digits)  # type: ignore[arg-type]
    groups = [t(g) for g in GROUPS]
    checked = 0
    for name in EXAMPLES:
        letter = realistic(name)
        settings = RenderSettings(digits=digits)  # type: ignore[arg-type]
        rendered = render_letter(letter, settings)
        bad, n = bad_line_ends(rendered.pdf, html_texts(letter_html(letter, settings)), groups)
        assert bad == [], (name, bad)
        checked += n
        # the marks are not text: extraction gives back the printed text exactly
        assert squash(pdftotext(rendered.pdf)) == squash(rendered.text), name
        assert "\u200b" not in pdftotext(rendered.pdf) and "\u200b" not in pdfium_text(rendered.pdf)
    assert checked > 300  # the letters are long: hundreds of line ends were checked


@pytest.mark.parametrize("text, kept", [
    ("ประชุมในวันที่ 15 มีนาคม 2567 เวลา 09.30 น.", ["15 มีนาคม 2567", "09.30 น."]),
    ("ด่วนภายใน ๓ ธ.ค. ๖๙ ตามระเบียบ พ.ศ. ๒๕๒๖ (ฉบับที่ ๔)", ["๓ ธ.ค. ๖๙", "พ.ศ. ๒๕๒๖", "(ฉบับที่ ๔)"]),
    ("การประชุมครั้งที่ 1/2567 ข้อ 3 มาตรา 10", ["ครั้งที่ 1/2567", "ข้อ 3", "มาตรา 10"]),
    ("ศูนย์ราชการเฉลิมพระเกียรติ ๘๐ พรรษา จำนวน 12,500 บาท", ["๘๐ พรรษา", "12,500 บาท"]),
    ("มอบนางสาวกำไล น้ำใจดี และ(นายสมชาย ใจดี)เข้าร่วม", ["นางสาวกำไล น้ำใจดี", "(นายสมชาย ใจดี)"]),
    ("หนังสือที่ ดศ 0201/ว 1457 และ ที่ นร 0105/123", ["ดศ 0201/ว 1457", "ที่ นร 0105/123"]),
    ("โทร. 0 2141 6747 https://saraban.mdes.go.th/a?b=1 หรือ saraban@mdes.go.th",
     ["โทร. 0 2141 6747", "https://saraban.mdes.go.th/a?b=1", "saraban@mdes.go.th"]),
])
def test_kept_together_groups(text: str, kept: list[str]) -> None:
    pieces = linebreak.pieces(text)
    assert "".join(pieces) == text
    for group in kept:
        assert any(group in piece for piece in pieces), (group, pieces)


def test_words_are_whole_and_long_names_may_break() -> None:
    pieces = linebreak.pieces("ให้ความเห็นชอบหน่วยงานผู้อำนวยการกองกลางดังต่อไปนี้ สำนักงานสถิติแห่งชาติ ลับมาก")
    for word in ("เห็นชอบ", "หน่วยงาน", "ผู้อำนวยการ", "ดังต่อไปนี้", "ลับมาก"):
        assert word in pieces
    assert "สำนักงานสถิติแห่งชาติ" not in pieces  # a long name breaks between its words
    assert "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม" in linebreak.trimmed_words()
    assert "งานสารบรรณ" in linebreak.trimmed_words()  # taken out by data/words.txt


def test_mark_html_touches_text_only() -> None:
    html = ('<html><head><title>ผู้อำนวยการ</title><style>p{color:red}</style></head>'
            '<body><p class="x">ผู้อำนวยการ &amp; หน่วยงาน</p><!-- ผู้อำนวยการ --></body></html>')
    marked = linebreak.mark_html(html)
    assert "<title>ผู้อำนวยการ</title>" in marked and "p{color:red}" in marked and "<!-- ผู้อำนวยการ -->" in marked
    assert "&amp;" in marked and linebreak.CSS in marked
    assert "".join(linebreak.unmark(t) for t in html_texts(marked)) == "".join(html_texts(html))


@pytest.mark.parametrize("dictdir", ["/usr/share/libthai", "/nonexistent"])
def test_spans_do_the_work_when_pango_has_another_dictionary(dictdir: str, tmp_path: Path) -> None:
    """libthai reads its dictionary once per process: in a fresh one, give Pango the stock dictionary
    (or none) instead of ours; the pieces are then protected by spans alone, and still no bad break."""
    script = (
        "import sys\n"
        "from saraban.letterpress.render import letter_html, render_letter, digit_converter\n"
        "from tests.linecheck import bad_line_ends, html_texts\n"
        "from tests.letterpress.realistic import realistic, GROUPS\n"
        "t = digit_converter('thai')\n"
        "bad, n = [], 0\n"
        "for name in ('external', 'memo', 'order'):\n"
        "    letter = realistic(name)\n"
        "    b, c = bad_line_ends(render_letter(letter).pdf, html_texts(letter_html(letter)), [t(g) for g in GROUPS])\n"
        "    bad += b; n += c\n"
        "print(n, bad)\n"
        "sys.exit(1 if bad or n < 60 else 0)\n"
    )
    env = {**os.environ, "LIBTHAI_DICTDIR": dictdir, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
