"""The 20-year handover package (ข้อ 58–59; R43): a BagIt 1.0 bag (RFC 8493) that anyone can open without
Saraban.

::

    bagit.txt  bag-info.txt  manifest-sha256.txt  tagmanifest-sha256.txt
    data/form21.pdf                      the delivery list (PDF/A-2b)
    data/metadata.json, metadata.csv     one record per letter: register fields, file code, retention, files
    data/letters/001/letter.pdf          the letter and its enclosures as one PDF/A-2b rendition (page images)
    data/letters/001/original/01-letter.pdf, 02-enclosure.pdf …   the files exactly as kept (SHA-256 as recorded)

Originals are copied bit for bit (their hashes are those the system recorded at registration); the PDF/A
rendition is made from page images, because a received PDF cannot be turned into conforming PDF/A without
changing it.  Classified letters are not delivered (form 22) and never enter a package.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from saraban.kernel import clock
from saraban.letterpress.html_pdf import font_css, html_to_pdf
from saraban.letterpress.raster import page_count, page_png
from saraban.letters.models import PART_ROLES, LetterFile
from saraban.orgs.models import Agency
from saraban.reports.records_forms import form21, to_pdf
from saraban.storage import blobs

from . import queries
from .models import Filing

CSV_FIELDS = ["seq", "file_code", "ref", "letter_date", "subject", "sender", "addressee", "retention", "keep_until",
              "letter_uuid", "register", "files"]


@dataclass
class Package:
    root: Path
    letters: int = 0
    files: list[str] = field(default_factory=list)


def _safe(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "file"
    return stem[:60]


def _rendition(pdfs: list[bytes], title: str) -> bytes | None:
    pages = []
    for pdf in pdfs:
        try:
            pages += [page_png(pdf, i, width=1240) for i in range(1, page_count(pdf) + 1)]
        except Exception:  # not a PDF pdfium can read: the original alone goes in
            continue
    if not pages:
        return None
    imgs = "".join(f'<div class="p"><img src="data:image/png;base64,{base64.b64encode(p).decode()}"></div>'
                   for p in pages)
    html = f"""<!doctype html><html lang="th"><head><meta charset="utf-8"><title>{title}</title><style>{font_css()}
@page {{ size: A4; margin: 0; }} body {{ margin: 0; }} .p {{ page-break-after: always; }}
img {{ width: 210mm; height: 297mm; object-fit: contain; display: block; }}</style></head><body>{imgs}</body></html>"""
    return html_to_pdf(html, pdf_variant="pdf/a-2b")


def _entry(f: Filing) -> dict:
    lt = f.letter
    reg = lt.entries.select_related("book").first()
    return {"file_code": f.file_code.code, "file_title": f.file_code.title_th, "ref": lt.their_ref,
            "letter_date": lt.letter_date.isoformat() if lt.letter_date else "", "subject": lt.subject,
            "sender": lt.sender, "addressee": lt.addressee, "kind": lt.kind, "direction": lt.direction,
            "retention": f.retention, "keep_until": f.keep_until_be, "letter_uuid": str(lt.letter_uuid),
            "register": f"{reg.book.get_kind_display()} {reg.display}/{reg.book.year_be}" if reg else "",
            "completed_on": f.completed_on.isoformat()}


def _write(root: Path, rel: str, data: bytes, pkg: Package) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    pkg.files.append(rel)


def _letter(root: Path, seq: int, f: Filing, pkg: Package) -> dict:
    meta = {"seq": seq, **_entry(f), "files": []}
    folder = f"data/letters/{seq:03d}"
    parts = LetterFile.objects.filter(letter=f.letter, role__in=PART_ROLES).select_related("blob").order_by("order")
    pdfs = []
    for n, part in enumerate(parts, 1):
        data = blobs.read(part.blob)
        rel = f"{folder}/original/{n:02d}-{_safe(part.name)}"
        _write(root, rel, data, pkg)
        meta["files"].append({"path": rel.removeprefix("data/"), "name": part.name, "role": part.role,
                              "title": part.title, "sha256": part.blob.sha256, "size": part.blob.size,
                              "content_type": part.blob.content_type})
        if part.blob.content_type == "application/pdf":
            pdfs.append(data)
    rendition = _rendition(pdfs, f.letter.subject)
    if rendition is not None:
        _write(root, f"{folder}/letter.pdf", rendition, pkg)
        meta["pdfa"] = f"letters/{seq:03d}/letter.pdf"
    _write(root, f"{folder}/metadata.json", json.dumps(meta, ensure_ascii=False, indent=1).encode(), pkg)
    return meta


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while piece := fh.read(1 << 20):
            h.update(piece)
    return h.hexdigest()


def _finish_bag(root: Path, agency: Agency, year_be: int, pkg: Package) -> None:
    payload = sorted(pkg.files)
    lines = [f"{_sha(root / rel)}  {rel}\n" for rel in payload]
    (root / "manifest-sha256.txt").write_text("".join(lines), encoding="utf-8")
    octets = sum((root / rel).stat().st_size for rel in payload)
    (root / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8")
    info = {"Source-Organization": agency.name_th, "Organization-Address": agency.address_th.replace("\n", " "),
            "External-Description": f"บัญชีส่งมอบหนังสือครบ 20 ปี ประจำปี พ.ศ. {year_be} (แบบที่ 21)",
            "External-Identifier": f"{agency.code}-handover-{year_be}", "Bagging-Date": clock.today().isoformat(),
            "Payload-Oxum": f"{octets}.{len(payload)}", "Bag-Software-Agent": "Saraban (e-Saraban)"}
    (root / "bag-info.txt").write_text("".join(f"{k}: {v}\n" for k, v in info.items() if v), encoding="utf-8")
    tags = ["bagit.txt", "bag-info.txt", "manifest-sha256.txt"]
    (root / "tagmanifest-sha256.txt").write_text("".join(f"{_sha(root / t)}  {t}\n" for t in tags), encoding="utf-8")


def build(agency: Agency, year_be: int, root: Path) -> Package:
    """Write the package for the letters ``agency`` delivers in ``year_be`` (form 21) into the empty ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    if any(root.iterdir()):
        raise FileExistsError(root)
    pkg = Package(root)
    deliver, _keep = queries.handover(agency, year_be)
    records = [_letter(root, seq, f, pkg) for seq, f in enumerate(deliver, 1)]
    pkg.letters = len(records)
    _write(root, "data/metadata.json", json.dumps(
        {"agency": agency.name_th, "agency_code": agency.code, "year_be": year_be,
         "made_at": clock.now().isoformat(), "letters": records}, ensure_ascii=False, indent=1).encode(), pkg)
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore")
    w.writeheader()
    for r in records:
        w.writerow({**r, "files": " ".join(x["path"] for x in r["files"])})
    _write(root, "data/metadata.csv", ("\ufeff" + out.getvalue()).encode(), pkg)
    _write(root, "data/form21.pdf", to_pdf(form21(agency, year_be)), pkg)
    _finish_bag(root, agency, year_be, pkg)
    return pkg


def zipped(root: Path) -> bytes:
    """The bag as one zip file (the bag's directory at its top), for download."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                z.write(path, f"{root.name}/{path.relative_to(root)}")
    return buf.getvalue()


def default_name(agency: Agency, year_be: int) -> str:
    return f"{agency.code}-handover-{year_be}"
