"""The parts of a whole letter: the letter (a PDF) and its enclosures (สิ่งที่ส่งมาด้วย, any common office file).

Every way a letter comes in or goes out (the desk, the API, SBX, e-mail, drafts, completion reports) checks
its files here before anything is stored or numbered:

- :func:`check_letter` — the letter itself must be a readable PDF (:func:`saraban.letters.pdf.inspect_pdf`);
- :func:`check_enclosure` — an enclosure must not be empty, too large, a program or a web page, and must be
  of a type offices exchange (``SARABAN_ENCLOSURE_TYPES``); it keeps its bytes and its name;
- :func:`check_parts` — a letter with its enclosures stays within ``SARABAN_MAX_ENCLOSURES`` files and
  ``SARABAN_MAX_LETTER_BYTES`` in all.

:func:`prepare` checks one part and writes it to the blob store ahead of the action's transaction (inside an
:func:`~saraban.kernel.actions.undo_scope` a failure removes it again).
"""

from __future__ import annotations

import mimetypes
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.conf import settings

from saraban.kernel.errors import InvalidInput
from saraban.storage import blobs

from .models import FileRole
from .pdf import FileRejected, inspect_pdf

# What offices exchange as enclosures: extension → media type.  Settings may narrow or widen it.
OFFICE_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "rtf": "application/rtf",
    "txt": "text/plain",
    "csv": "text/csv",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "bmp": "image/bmp",
    "webp": "image/webp",
    "zip": "application/zip",
    "7z": "application/x-7z-compressed",
    "mp3": "audio/mpeg",
    "mp4": "video/mp4",
    "xml": "application/xml",
    "json": "application/json",
}

# Never accepted, whatever the settings say: programs and scripts, and pages a browser would run.
EXECUTABLE_EXTENSIONS = frozenset({
    "exe", "com", "bat", "cmd", "msi", "msp", "scr", "pif", "cpl", "dll", "sys", "sh", "bash", "csh", "ps1",
    "psm1", "vbs", "vbe", "js", "jse", "mjs", "wsf", "wsh", "hta", "jar", "apk", "app", "dmg", "deb", "rpm", "run",
    "bin", "elf", "so", "lnk", "reg", "inf", "py", "pl", "rb", "php", "asp", "aspx", "jsp", "cgi",
})
HTML_EXTENSIONS = frozenset({"html", "htm", "xhtml", "shtml", "mht", "mhtml", "svg", "svgz"})
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
                     b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<script", b"<svg", b"<iframe", b"<body", b"<head")


class EnclosureRejected(FileRejected):
    """A part of a letter that may not be kept or sent; ``code`` says why."""

    code = "enclosure_rejected"


@dataclass(frozen=True)
class Upload:
    """A file handed in (uploaded, received, attached).  :func:`prepare` checks it and stages its bytes.

    ``title`` is an enclosure's สิ่งที่ส่งมาด้วย line (the file name without its extension when empty);
    ``content_type`` is set by the check.
    """

    data: bytes
    name: str
    staged: blobs.Staged | None = None
    pages: int | None = None
    title: str = ""
    content_type: str = ""


def settings_types() -> dict[str, str]:
    """The enclosure types this installation accepts (``SARABAN_ENCLOSURE_TYPES``: extensions, or all office
    types), never a program or a web page."""
    allowed = getattr(settings, "SARABAN_ENCLOSURE_TYPES", None) or tuple(OFFICE_TYPES)
    out = {}
    for ext in allowed:
        ext = ext.lower().lstrip(".")
        if ext in EXECUTABLE_EXTENSIONS or ext in HTML_EXTENSIONS:
            continue
        out[ext] = OFFICE_TYPES.get(ext) or mimetypes.types_map.get(f".{ext}", "application/octet-stream")
    return out


def max_enclosures() -> int:
    return int(getattr(settings, "SARABAN_MAX_ENCLOSURES", 50))


def max_letter_bytes() -> int:
    return int(getattr(settings, "SARABAN_MAX_LETTER_BYTES", 200 * 1024 * 1024))


def clean_name(name: str, fallback: str = "file") -> str:
    """A file name safe to keep and show: no folders, no control characters, at most 255 characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if not name:
        return fallback
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 254 - len(ext)] + dot + ext) if dot and len(ext) <= 16 else name[:255]
    return name


def extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def default_title(name: str) -> str:
    """An enclosure's สิ่งที่ส่งมาด้วย line when none was given: its file name without the extension."""
    stem, dot, ext = name.rpartition(".")
    return (stem if dot and stem and len(ext) <= 5 else name).replace("_", " ").strip()[:500]


def clean_title(title: str | None, name: str) -> str:
    title = " ".join((title or "").split())[:500]
    return title or default_title(name)


def _refuse(code: str, th: str, en: str, name: str, status: int = 422, **details: object) -> EnclosureRejected:
    return EnclosureRejected(f"{name}: {th}", f"{name}: {en}", code=code, status=status,
                             details={"file": name, **details})


def _looks_executable(head: bytes) -> bool:
    return any(head.startswith(m) for m in _EXECUTABLE_MAGIC)


def _looks_html(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    text = text.replace(b"\x00", b"")  # UTF-16 pages
    return any(m in text[:1024] for m in _HTML_MARKERS)


def check_enclosure(upload: Upload) -> Upload:
    """Check one enclosure; returns it with its media type (and page count for a PDF).  Its bytes are kept."""
    name = clean_name(upload.name, "enclosure")
    data = upload.data
    if not data:
        raise _refuse("enclosure_empty", "ไฟล์ว่างเปล่า", "the file is empty", name)
    limit = settings.MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise _refuse("enclosure_too_large", f"ไฟล์มีขนาดใหญ่เกินกำหนด ({len(data) // 1048576} MB เกิน "
                      f"{limit // 1048576} MB)", f"the file is too large ({len(data)} bytes, limit {limit})", name,
                      status=413, size=len(data), limit=limit)
    ext = extension(name)
    head = data[:2048]
    if ext in EXECUTABLE_EXTENSIONS or _looks_executable(head):
        raise _refuse("enclosure_executable", "ไฟล์โปรแกรมหรือสคริปต์แนบเป็นสิ่งที่ส่งมาด้วยไม่ได้",
                      "programs and scripts cannot be enclosed", name, status=415)
    if ext in HTML_EXTENSIONS or (ext not in ("xml", "json") and _looks_html(head)):
        raise _refuse("enclosure_html", "ไฟล์หน้าเว็บ (HTML/SVG) แนบเป็นสิ่งที่ส่งมาด้วยไม่ได้ กรุณาแปลงเป็น PDF",
                      "web pages (HTML/SVG) cannot be enclosed; convert them to PDF", name, status=415)
    types = settings_types()
    if ext not in types:
        raise _refuse("enclosure_type", f"ไม่รับไฟล์ชนิด .{ext or '?'} (รับ {', '.join(sorted(types))})",
                      f"files of type .{ext or '?'} are not accepted", name, status=415, accepted=sorted(types))
    pages = None
    if ext == "pdf":
        try:
            pages = inspect_pdf(data).pages
        except FileRejected as exc:
            raise _refuse(exc.code, exc.message_th, exc.message_en, name, status=exc.status) from exc
    return replace(upload, name=name, content_type=types[ext], pages=pages, title=clean_title(upload.title, name))


def check_letter(upload: Upload) -> Upload:
    """Check the letter itself: a readable PDF."""
    name = clean_name(upload.name, "letter.pdf")
    try:
        info = inspect_pdf(upload.data)
    except FileRejected as exc:
        raise FileRejected(f"{name}: {exc.message_th}", f"{name}: {exc.message_en}", code=exc.code,
                           status=exc.status, details={"file": name, **exc.details}) from exc
    return replace(upload, name=name, content_type="application/pdf", pages=info.pages, title=upload.title.strip())


def check_parts(letter: Upload | None, enclosures: Sequence[Upload], *, already: int = 0,
                already_bytes: int = 0) -> None:
    """A whole letter stays within the configured number of enclosures and total size (``already`` counts
    enclosures kept before, ``already_bytes`` the bytes of every part kept before)."""
    count = already + len(enclosures)
    if count > max_enclosures():
        raise InvalidInput(f"สิ่งที่ส่งมาด้วยมากเกินกำหนด ({count} ไฟล์ เกิน {max_enclosures()} ไฟล์)",
                           f"Too many enclosures ({count}, limit {max_enclosures()})", code="too_many_enclosures",
                           details={"count": count, "limit": max_enclosures()})
    total = already_bytes + (len(letter.data) if letter else 0) + sum(len(e.data) for e in enclosures)
    if total > max_letter_bytes():
        raise InvalidInput(f"หนังสือและสิ่งที่ส่งมาด้วยรวมกันใหญ่เกินกำหนด ({total // 1048576} MB เกิน "
                           f"{max_letter_bytes() // 1048576} MB)",
                           f"The letter with its enclosures is too large ({total} bytes, limit {max_letter_bytes()})",
                           code="letter_too_large", status=413, details={"size": total, "limit": max_letter_bytes()})


def check(upload: Upload, role: str) -> Upload:
    """Check a part by its role (the letter, or an enclosure)."""
    return check_letter(upload) if role == FileRole.LETTER else check_enclosure(upload)


def prepare(upload: Upload, *, classified: bool, role: str = FileRole.LETTER) -> Upload:
    """Check a part and stage its bytes (encrypted if classified) ahead of the action's transaction."""
    if upload.staged is not None and upload.staged.encrypted == classified and upload.content_type:
        return upload
    checked = check(upload, role)
    return replace(checked, staged=blobs.stage(checked.data, checked.content_type, encrypted=classified))


def prepare_all(letter: Upload | None, enclosures: Sequence[Upload], *, classified: bool,
                already: int = 0, already_bytes: int = 0) -> tuple[Upload | None, list[Upload]]:
    """Check the whole letter (limits first, then every part) and stage its parts."""
    check_parts(letter, enclosures, already=already, already_bytes=already_bytes)
    main = prepare(letter, classified=classified) if letter is not None else None
    return main, [prepare(e, classified=classified, role=FileRole.ENCLOSURE) for e in enclosures]
