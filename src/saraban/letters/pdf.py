"""Checking uploaded PDFs before anything is stored or numbered, and cleaning the copies we make of them.

The original a sender gave us is kept byte for byte.  Every copy we present (the receipt-stamped copy,
the copy with endorsement annexes) is made by :func:`strip_active_content` free of what a PDF reader
would run or open by itself: JavaScript, Launch and other actions, open actions, additional actions
(``/AA``), embedded and associated files, XFA forms, and multimedia annotations.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf
from django.conf import settings

from saraban.kernel.errors import InvalidInput


class FileRejected(InvalidInput):
    code = "file_rejected"


@dataclass(frozen=True)
class PdfInfo:
    pages: int
    size: int


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f}"


def inspect_pdf(data: bytes, *, max_bytes: int | None = None) -> PdfInfo:
    """Return page count and size, or raise a clear, coded error (Thai and English)."""
    limit = max_bytes if max_bytes is not None else settings.MAX_UPLOAD_BYTES
    if not data:
        raise FileRejected("ไฟล์ว่างเปล่า", "The file is empty", code="file_empty")
    if len(data) > limit:
        raise FileRejected(
            f"ไฟล์มีขนาดใหญ่เกินกำหนด ({_mb(len(data))} MB เกิน {_mb(limit)} MB)",
            f"The file is too large ({_mb(len(data))} MB, limit {_mb(limit)} MB)",
            code="file_too_large", status=413, details={"size": len(data), "limit": limit},
        )
    if b"%PDF-" not in data[:1024]:
        raise FileRejected("ไฟล์นี้ไม่ใช่ PDF", "The file is not a PDF", code="not_pdf", status=415)
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
            if pages:
                pdf.pages[0].mediabox  # noqa: B018 - touch page 1 so a broken page tree fails here
    except pikepdf.PasswordError as exc:
        raise FileRejected(
            "ไฟล์ PDF ถูกเข้ารหัสด้วยรหัสผ่าน กรุณาส่งไฟล์ที่ไม่มีรหัสผ่าน",
            "The PDF is password-protected; send it without a password",
            code="pdf_encrypted",
        ) from exc
    except (pikepdf.PdfError, ValueError, KeyError, RuntimeError) as exc:
        raise FileRejected("ไฟล์ PDF เสียหายหรืออ่านไม่ได้", "The PDF is corrupt or unreadable", code="pdf_corrupt") from exc
    if pages < 1:
        raise FileRejected("ไฟล์ PDF ไม่มีหน้าเอกสาร", "The PDF has no pages", code="pdf_corrupt")
    return PdfInfo(pages=pages, size=len(data))


DANGEROUS_ACTIONS = frozenset({
    "/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/ResetForm", "/GoToE", "/GoToR", "/Rendition",
    "/Sound", "/Movie", "/RichMediaExecute", "/SetOCGState", "/Hide", "/Trans", "/GoTo3DView",
})
"""Actions a copy must not carry (links to a page of the same document, ``/GoTo``, and web links stay)."""
ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"})


def _strip_action(d: pikepdf.Dictionary, key: str, found: set[str]) -> None:
    action = d.get(key)
    if not isinstance(action, pikepdf.Dictionary):
        return
    kind = str(action.get("/S", ""))
    if kind in DANGEROUS_ACTIONS or "/JS" in action:
        del d[key]
        found.add(kind.lstrip("/") or "JavaScript")
    elif "/Next" in action:  # a harmless action may chain to a harmful one
        del action["/Next"]
        found.add("Next")


def _clean_dict(d: pikepdf.Dictionary, found: set[str]) -> None:
    for key, label in (("/AA", "AA"), ("/OpenAction", "OpenAction"), ("/AF", "AssociatedFiles"),
                       ("/JS", "JavaScript")):
        if key in d:
            del d[key]
            found.add(label)
    _strip_action(d, "/A", found)
    annots = d.get("/Annots")
    if isinstance(annots, pikepdf.Array):
        keep = [a for a in annots if not (isinstance(a, pikepdf.Dictionary)
                                          and str(a.get("/Subtype", "")) in ACTIVE_ANNOTATIONS)]
        if len(keep) != len(annots):
            d["/Annots"] = pikepdf.Array(keep)
            found.add("annotations")


def _walk(obj: pikepdf.Object, found: set[str], seen: set[tuple[int, int]]) -> None:
    stack = [obj]
    while stack:
        item = stack.pop()
        if not isinstance(item, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream):
            continue  # numbers, names, strings: nothing inside
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if isinstance(item, pikepdf.Stream):
            item = item.stream_dict
        if isinstance(item, pikepdf.Dictionary):
            _clean_dict(item, found)
            stack.extend(v for k, v in item.items() if k not in ("/Parent", "/P"))
        elif isinstance(item, pikepdf.Array):
            stack.extend(item)


def strip_active_content(pdf: pikepdf.Pdf) -> set[str]:
    """Remove, in place, everything ``pdf`` would run or open by itself; return what kinds were found."""
    found: set[str] = set()
    root = pdf.Root
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        for key, label in (("/JavaScript", "JavaScript"), ("/EmbeddedFiles", "EmbeddedFiles")):
            if key in names:
                del names[key]
                found.add(label)
    acro = root.get("/AcroForm")
    if isinstance(acro, pikepdf.Dictionary) and "/XFA" in acro:
        del acro["/XFA"]
        found.add("XFA")
    _walk(root, found, set())
    for page in pdf.pages:  # pages are reached from the root too; this also covers a broken page tree
        _walk(page.obj, found, set())
    return found


def text_of(data: bytes, *, pages: int = 1) -> str:
    """The text layer of the first ``pages`` pages (empty for a scan without one, or an unreadable file)."""
    import pypdfium2

    try:
        doc = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return ""
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(min(pages, len(doc))))
    finally:
        doc.close()
