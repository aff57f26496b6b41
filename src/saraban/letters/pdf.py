"""Checking uploaded PDFs before anything is stored or numbered."""

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
