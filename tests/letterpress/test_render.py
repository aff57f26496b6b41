"""Rendering: layout per regulation.md §4, PDF/A with embedded fonts, and a text layer that gives
the source text back — checked with independent tools (poppler, PDFium), not with our own code."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from saraban.kernel.clock import BANGKOK
from saraban.letterpress.content import Paragraph, Secrecy, Urgency
from saraban.letterpress.errors import EmptySubject, TooManyPages
from saraban.letterpress.examples import external, memo, memo_record, order
from saraban.letterpress.render import CM, TEMPLATE_DIR, RenderedLetter, RenderSettings, render_letter

from .pdftools import char_style, pdffonts, pdfium_text, pdftotext, squash

pytestmark = pytest.mark.no_database  # runs in the SQLite pass only (docs/testing.md)

A4 = (595.28, 841.89)
HARD_WORDS = ("ดำเนินการ", "สำนักงาน", "กำหนด", "น้ำ", "คำสั่ง", "สิ่งที่ส่งมาด้วย", "ผู้ใหญ่", "ปั้น", "ศูนย์")


def long_memo(paragraphs: int = 40) -> object:
    text = "สำนักงานได้กำหนดแนวทางการดำเนินการเรื่องน้ำประปาและคำสั่งที่เกี่ยวข้อง ครั้งที่ {n} แล้ว"
    body = tuple(Paragraph(text.format(n=n)) for n in range(1, paragraphs + 1))
    return dataclasses.replace(memo(), body=body, secrecy=Secrecy.SECRET)


@pytest.mark.parametrize("name", [
    "external", "memo", "stamped", "order", "regulation", "rule", "announcement", "statement", "news",
    "certificate", "minutes", "memo_record", "other",
])
def test_pdftotext_gives_back_the_source_text(rendered: dict[str, RenderedLetter], name: str) -> None:
    letter = rendered[name]
    extracted = pdftotext(letter.pdf)
    assert squash(extracted) == squash(letter.text)
    # PDFium reads in drawing order (page margins last): compare it without the secrecy marks
    mark = "" if letter.letter.secrecy == Secrecy.NORMAL else str(letter.letter.secrecy)
    assert squash(pdfium_text(letter.pdf)).replace(mark, "") == squash(letter.text).replace(mark, "")
    # and the text is the letter's own: ำ kept, า not turned into ำ
    assert "ำ" in extracted
    assert "งำน" not in extracted and "กำร" not in extracted


def test_hard_words_and_thai_digits_survive_extraction() -> None:
    body = (Paragraph(" ".join(HARD_WORDS) + " เลขที่ 1234567890 วันที่ ๒๕ พฤษภาคม ๒๕๖๔"),)
    letter = render_letter(dataclasses.replace(order(), body=body))
    text = pdftotext(letter.pdf)
    for word in HARD_WORDS:
        assert word in text
    assert "๑๒๓๔๕๖๗๘๙๐" in text
    assert squash(text) == squash(letter.text)


def test_pdftotext_reads_a_table_row_by_row(rendered: dict[str, RenderedLetter]) -> None:
    text = pdftotext(rendered["memo"].pdf)
    assert re.search(r"1\s+เครื่องกรองน้ำ\s+2 เครื่อง\s+12,500", text)


def test_raw_weasyprint_output_has_the_sara_am_bug_and_our_fix_changes_no_pixel() -> None:
    # Without our text fix, WeasyPrint's PDF maps ำ and า wrongly (stack.md); the fix must not move
    # a single pixel.
    from weasyprint import HTML

    from saraban.letterpress.render import FONT_FILES, _fix_text_layer, _fonts, letter_html

    from .pdftools import render_png

    html = letter_html(order())
    raw = HTML(string=html, base_url=str(TEMPLATE_DIR)).write_pdf(font_config=_fonts())
    broken = squash(pdftotext(raw))
    assert "ดำเนินการ" not in broken or "สำนักงำน" in broken or "นำ" in broken
    fixed = _fix_text_layer(raw)
    assert "ดำเนินการ" in pdftotext(fixed)
    assert render_png(raw, dpi=100) == render_png(fixed, dpi=100)
    assert FONT_FILES["regular"].is_file()


def test_every_font_is_embedded_sarabun(rendered: dict[str, RenderedLetter]) -> None:
    for letter in rendered.values():
        fonts = pdffonts(letter.pdf)
        assert fonts
        for font in fonts:
            assert font["emb"] == "yes", font
            assert "Sarabun" in font["name"], font


def test_pdfa_2b_markers(rendered: dict[str, RenderedLetter]) -> None:
    with pikepdf.open(io.BytesIO(rendered["external"].pdf)) as pdf:
        meta = pdf.open_metadata()
        assert meta.get("pdfaid:part") == "2"
        assert meta.get("pdfaid:conformance") == "B"
        assert "/OutputIntents" in pdf.Root
        box = [float(v) for v in pdf.pages[0].MediaBox]
        assert box[2] == pytest.approx(A4[0], abs=0.5) and box[3] == pytest.approx(A4[1], abs=0.5)


def _word_boxes(pdf: bytes, page: int = 1) -> list[tuple[float, float, float, float, str]]:
    out = pdftotext(pdf, "-bbox", "-f", str(page), "-l", str(page))
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)]


def test_margins_left_3cm_right_2cm(rendered: dict[str, RenderedLetter]) -> None:
    words = _word_boxes(rendered["external"].pdf)
    assert min(w[0] for w in words) == pytest.approx(3 * CM, abs=0.5)  # ที่ starts at the left margin
    assert max(w[2] for w in words) <= A4[0] - 2 * CM + 0.5


def test_emblem_size_and_place(rendered: dict[str, RenderedLetter]) -> None:
    big = rendered["external"].anchors["emblem"]
    assert big.height == pytest.approx(3 * CM, abs=0.1)
    assert A4[1] - (big.y + big.height) == pytest.approx(1.5 * CM, abs=0.2)  # about 1.5 cm from the top
    assert big.x + big.width / 2 == pytest.approx(3 * CM + (A4[0] - 5 * CM) / 2, abs=0.5)  # centred
    small = rendered["memo"].anchors["emblem"]
    assert small.height == pytest.approx(1.5 * CM, abs=0.1)
    assert small.x == pytest.approx(3 * CM, abs=0.2)  # top left
    for kind in ("stamped", "order", "regulation", "announcement", "certificate"):
        assert rendered[kind].anchors["emblem"].height == pytest.approx(3 * CM, abs=0.1)


def test_body_is_sarabun_16pt_black(rendered: dict[str, RenderedLetter]) -> None:
    style = char_style(rendered["external"].pdf, "ตามที่")
    assert style.size == pytest.approx(16, abs=0.1)
    assert style.rgb == (0, 0, 0)


def test_urgency_mark_red_at_least_32pt(rendered: dict[str, RenderedLetter]) -> None:
    style = char_style(rendered["external"].pdf, "ด่วนที่สุด")
    assert style.size >= 32 - 0.01
    assert style.rgb[0] > 180 and style.rgb[1] < 40 and style.rgb[2] < 40


def test_reply_by_deadline_is_printed() -> None:
    when = dt.datetime(2024, 3, 8, 15, 30, tzinfo=BANGKOK)
    letter = render_letter(dataclasses.replace(external(), urgency=Urgency.VERY_URGENT, urgent_by=when))
    assert squash("ด่วนภายใน ๘ มี.ค. ๒๕๖๗ เวลา ๑๕.๓๐ น.") in squash(letter.text)
    assert char_style(letter.pdf, "ด่วนภายใน").size >= 32 - 0.01


def test_memo_heading_29pt_and_labels_20pt(rendered: dict[str, RenderedLetter]) -> None:
    pdf = rendered["memo"].pdf
    assert char_style(pdf, "บันทึกข้อความ").size == pytest.approx(29, abs=0.1)
    for label in ("ส่วนราชการ", "เรื่อง"):
        assert char_style(pdf, label).size == pytest.approx(20, abs=0.1)
    names = {f["name"].split("+")[-1] for f in pdffonts(pdf)}
    assert "Sarabun-Bold" in names


def test_secrecy_mark_red_top_and_bottom_of_every_page_and_later_pages_numbered() -> None:
    letter = render_letter(long_memo())
    assert letter.pages >= 2
    pages = pdftotext(letter.pdf).split("\f")[: letter.pages]
    for number, page in enumerate(pages, start=1):
        lines = [line for line in page.splitlines() if line.strip()]
        assert lines[0].strip() == "ลับมาก", number
        assert lines[-1].strip() == "ลับมาก", number
        if number > 1:
            assert squash(lines[1]) == squash(f"– {'๐๑๒๓๔๕๖๗๘๙'[number]} –")
        style = char_style(letter.pdf, "ลับมาก", page=number - 1)
        assert style.rgb[0] > 180 and style.rgb[1] < 40
    assert squash(pdftotext(letter.pdf)) == squash(letter.text)


def test_dates_full_month_on_external_letters_abbreviated_on_memos(rendered: dict[str, RenderedLetter]) -> None:
    assert "๕ มีนาคม ๒๕๖๗" in rendered["external"].text
    assert "๕ มี.ค. ๒๕๖๗" in rendered["memo"].text
    assert "สั่ง ณ วันที่ ๕ มีนาคม พ.ศ. ๒๕๖๗" in rendered["order"].text


def test_digits_setting_applies_to_numbers_but_not_to_email() -> None:
    thai = render_letter(external(), RenderSettings(digits="thai"))
    arabic = render_letter(external(), RenderSettings(digits="arabic"))
    assert "ที่ ดศ ๐๒๐๑/๑๒๓๔" in thai.text and "ที่ ดศ 0201/1234" in arabic.text
    assert "saraban@mdes.go.th" in thai.text  # addresses keep their Latin digits and letters
    assert not re.search("[๐-๙]", arabic.text.replace("\f", ""))
    assert "ที่ ดศ 0201/1234" in pdftotext(arabic.pdf)


def test_external_letter_fields_in_order(rendered: dict[str, RenderedLetter]) -> None:
    text = rendered["external"].text
    order_of = ["ด่วนที่สุด", "ที่ ดศ", "ถนนแจ้งวัฒนะ", "๕ มีนาคม ๒๕๖๗", "เรื่อง", "อธิบดีกรมศิลปากร",
                "อ้างถึง", "สิ่งที่ส่งมาด้วย", "ตามที่", "ขอแสดงความนับถือ", "(นายสมชาย ใจดี)",
                "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "กองกลาง", "โทร. ๐ ๒๑๔๑ ๖๗๔๗",
                "ไปรษณีย์อิเล็กทรอนิกส์ saraban@mdes.go.th", "สำเนาส่ง"]
    positions = [text.index(item) for item in order_of]
    assert positions == sorted(positions)
    lines = text.splitlines()
    assert lines[lines.index("(นายสมชาย ใจดี)") + 1] == "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"


def test_signature_space_sits_between_closing_and_name(rendered: dict[str, RenderedLetter]) -> None:
    letter = rendered["external"]
    (box,) = letter.signature_boxes
    words = _word_boxes(letter.pdf)
    closing = next(w for w in words if w[4] == "ขอแสดงความนับถือ")
    name = next(w for w in words if w[4].startswith("(นายสมชาย"))
    top = A4[1] - (box.y + box.height)
    bottom = A4[1] - box.y
    assert closing[3] <= top + 1 and bottom <= name[1] + 1
    assert box.width == pytest.approx(7 * CM, abs=0.1)


def test_typed_name_mode_prints_name_position_and_system_time(rendered: dict[str, RenderedLetter]) -> None:
    letter = rendered["memo_record"]
    assert letter.signature_boxes == ()  # no signature space: the typed name is the signature
    text = letter.text
    assert "(นางสาวข. ตัวอย่าง)" in text
    assert "ลงนามโดยพิมพ์ชื่อในระบบ ๕ มี.ค. ๒๕๖๗ ๑๐.๔๒ น." in text
    at = dt.datetime(2026, 1, 2, 8, 5, tzinfo=dt.UTC)
    later = render_letter(memo_record(typed_at=at))
    assert "๒ ม.ค. ๒๕๖๙ ๑๕.๐๕ น." in later.text  # shown in Bangkok time


def test_stamped_letter_has_a_seal_space(rendered: dict[str, RenderedLetter]) -> None:
    seal = rendered["stamped"].seal_box
    assert seal is not None and seal.height >= 4.5 * CM


def test_body_overflowing_the_allowed_pages_is_refused() -> None:
    with pytest.raises(TooManyPages) as err:
        render_letter(long_memo(), RenderSettings(max_pages=1))
    assert err.value.code == "too_many_pages"
    assert err.value.details["pages"] >= 2
    assert render_letter(memo(), RenderSettings(max_pages=1)).pages == 1


def test_empty_subject_is_refused_before_rendering() -> None:
    with pytest.raises(EmptySubject):
        render_letter(dataclasses.replace(external(), subject=""))


def test_no_justified_text_in_the_stylesheet() -> None:
    css = (TEMPLATE_DIR / "letter.css").read_text()
    assert not re.search(r"text-align\s*:\s*justify", css)


def test_agency_emblem_is_configurable(tmp_path: object) -> None:
    from PIL import Image

    from saraban.letterpress.errors import LetterpressError

    path = tmp_path / "emblem.png"  # type: ignore[operator]
    Image.new("RGB", (90, 100), (0, 90, 0)).save(path)
    letter = render_letter(external(), RenderSettings(emblem=path))
    assert letter.anchors["emblem"].height == pytest.approx(3 * CM, abs=0.1)
    from .pdftools import render_png

    image = Image.open(io.BytesIO(render_png(letter.pdf, dpi=50))).convert("RGB")
    emblem = letter.anchors["emblem"]
    centre = (int((emblem.x + emblem.width / 2) / 72 * 50), int((A4[1] - emblem.y - emblem.height / 2) / 72 * 50))
    assert image.getpixel(centre) == pytest.approx((0, 90, 0), abs=8)  # the agency's image, not the placeholder
    with pytest.raises(LetterpressError) as err:
        render_letter(external(), RenderSettings(emblem=tmp_path / "missing.svg"))  # type: ignore[operator]
    assert err.value.code == "emblem_missing"


def test_file_copy_shows_drafter_typist_and_checker() -> None:
    plain = render_letter(external())
    copy = render_letter(external(), RenderSettings(file_copy=True))
    assert "ร่าง กำไล" not in plain.text
    lines = copy.text.rstrip("\f").splitlines()
    assert lines[-3:] == ["ร่าง กำไล", "พิมพ์ สุดา", "ทาน วิชัย"]  # initialled last, bottom right
    assert squash(pdftotext(copy.pdf)) == squash(copy.text)


def test_rendering_in_threads_and_a_clean_exit() -> None:
    # WeasyPrint's font configuration is kept per thread; a process that rendered (and loaded the
    # signing stack) must still exit cleanly — a thread-local one crashed the interpreter at exit.
    import subprocess
    import sys

    script = (
        "import threading\n"
        "from saraban.letterpress.examples import EXAMPLES\n"
        "from saraban.letterpress.render import render_letter\n"
        "import saraban.signing.pades\n"
        "errors = []\n"
        "def work():\n"
        "    try:\n"
        "        [render_letter(b()) for b in list(EXAMPLES.values())[:3]]\n"
        "    except Exception as exc:\n"
        "        errors.append(exc)\n"
        "threads = [threading.Thread(target=work) for _ in range(3)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "assert not errors, errors\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode()[-2000:]


def test_a_process_that_typeset_a_letter_leaves_no_font_folder(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    code = ("from saraban.letterpress.examples import memo\n"
            "from saraban.letterpress.render import render_letter\n"
            "import glob, tempfile\n"
            "render_letter(memo())\n"
            "print(len(glob.glob(tempfile.gettempdir() + '/weasyprint-*')))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.split()[-1]) >= 1  # WeasyPrint copied the fonts while it typeset
    assert not list(tmp_path.glob("weasyprint-*"))  # and the process removed them as it exited
