"""§13.4: a receiving-register row and its stamp, and starting a book after the paper register."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.core.management import call_command

from saraban.kernel.clock import BANGKOK, MovableClock, use_clock
from saraban.kernel.errors import SarabanError
from saraban.letters.models import LetterFile
from saraban.orgs.models import Unit
from saraban.registry.actions import Upload, register_incoming, set_book_floor
from saraban.registry.tasks import stamp_text
from saraban.registry.validation import IncomingMetadata
from saraban.reports.registers import row
from saraban.storage.blobs import read
from tests.fixtures import make_pdf, user

pytestmark = pytest.mark.django_db


def test_receiving_row_and_stamp(org, django_capture_on_commit_callbacks) -> None:
    unit = Unit.objects.get(code="ops-central")
    with use_clock(MovableClock(dt.datetime(2025, 3, 3, 10, 42, tzinfo=BANGKOK))):
        set_book_floor(user("admin"), unit, "received", 2568, 456)
        meta = IncomingMetadata(their_ref="นร 0105/ว 123", their_date="2025-02-28", sender="ปลัดสำนักนายกรัฐมนตรี",
                                addressee="ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", subject="การพิมพ์หนังสือราชการ",
                                urgency="urgent")
        with django_capture_on_commit_callbacks(execute=True):
            entry = register_incoming(user("registrar"), meta, Upload(make_pdf(), "a.pdf"))
    assert entry.number == 457 and entry.book.year_be == 2568
    stamp = stamp_text(entry)
    assert (stamp.agency, stamp.number, stamp.date, stamp.time) == (
        "สำนักงานปลัดกระทรวงดิจิทัลฯ", "457", "3 มี.ค. 2568", "10.42 น.")
    cells = row(entry)
    assert cells[:6] == ["457", "นร 0105/ว 123", "28 ก.พ. 2568", "ปลัดสำนักนายกรัฐมนตรี",
                         "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "การพิมพ์หนังสือราชการ"]
    assert cells[7] == "ด่วน"
    # the presentation copy carries the same number, date and time; the original is untouched
    pres = LetterFile.objects.get(letter=entry.letter, role="presentation")
    text = subprocess.run(["pdftotext", "-", "-"], input=read(pres.blob), capture_output=True).stdout.decode()
    flat = " ".join(text.split())
    assert "สำนักงานปลัดกระทรวงดิจิทัลฯ" in flat
    assert "เลขรับ 457" in flat and "วันที่ 3 มี.ค. 2568" in flat and "เวลา 10.42 น." in flat
    original = LetterFile.objects.get(letter=entry.letter, role="letter")
    assert read(original.blob) == make_pdf()


def test_floor_only_on_an_empty_book(org, clock) -> None:
    unit = Unit.objects.get(code="ops-central")
    with pytest.raises(SarabanError) as exc:
        set_book_floor(user("registrar"), unit, "received", 2569, 10)
    assert exc.value.status == 403
    register_incoming(user("registrar"), IncomingMetadata(their_ref="x/1", their_date="2026-03-01", sender="ก",
                                                          addressee="ข", subject="ค"), Upload(make_pdf(), "a.pdf"))
    with pytest.raises(SarabanError) as exc:
        set_book_floor(user("admin"), unit, "received", 2569, 10)
    assert exc.value.code == "book_in_use"
    call_command("books", "floor", "ดศ 0201", "sent", "2569", "1233")
    from saraban.registry.actions import issue_outgoing
    from saraban.registry.validation import OutgoingMetadata

    e = issue_outgoing(user("registrar"), OutgoingMetadata(addressee="อธิบดีกรมศิลปากร", subject="ขอส่งบัญชี"))
    assert e.display == "ดศ 0201/1234"  # §13.5: the number equals the last segment of ที่


def test_stamp_on_rotated_page_lands_top_right(org, clock) -> None:
    import io

    import pypdfium2 as pdfium

    from saraban.registry.stamp import StampText, apply_stamp, render_stamp

    stamp = render_stamp(StampText("หน่วยทดสอบ", "1", "1 ม.ค. 2569", "09.00 น."))
    for rotate in (0, 90, 180, 270):
        out = apply_stamp(make_pdf(rotate=rotate), stamp)
        page = pdfium.PdfDocument(io.BytesIO(out))[0]
        img = page.render(scale=0.5, rotation=0).to_pil().convert("RGB")  # rendered as a reader shows it
        w, h = img.size
        blue = [(x, y) for x in range(0, w, 2) for y in range(0, h, 2)
                if (lambda p: p[2] > 120 and p[0] < 80 and p[1] < 110)(img.getpixel((x, y)))]
        assert blue, rotate
        xs, ys = [p[0] for p in blue], [p[1] for p in blue]
        assert min(xs) > w * 0.5 and max(ys) < h * 0.35, (rotate, min(xs), max(ys), w, h)
