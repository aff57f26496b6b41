"""The letter package: ASiC-E (CAdES flavour) with ``letter.json``, the PAdES letter and its enclosures.

::

    mimetype                      application/vnd.etsi.asic-e+zip (first, stored)
    letter.json                   business metadata (schema: :class:`LetterJson`)
    documents/letter.pdf          the letter as signed by the official
    documents/enclosure-01.pdf …
    META-INF/ASiCManifest.xml     references + SHA-256 of letter.json and every file under documents/
    META-INF/signature001.p7s     CAdES detached over ASiCManifest.xml, by the sending agency's seal
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Literal
from xml.etree import ElementTree as ET

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import cades, codes
from .errors import PackageInvalid

ASIC_NS = "http://uri.etsi.org/02918/v1.2.1#"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
SHA256_URI = "http://www.w3.org/2001/04/xmlenc#sha256"
MANIFEST = "META-INF/ASiCManifest.xml"
SIGNATURE = "META-INF/signature001.p7s"
MAX_FILES = 200


class _M(BaseModel):
    model_config = ConfigDict(extra="ignore")


class CodeLabel(_M):
    code: str = Field(pattern=r"^[0-9]{3}$")
    label: str


class PersonName(_M):
    given: str = ""
    family: str = ""
    position: str = ""


class Sender(_M):
    org: str
    ministry: str = ""
    unit: str = ""
    person: PersonName | None = None


class Addressee(_M):
    org: str
    role: Literal["to", "cc"] = "to"
    person: str | None = None
    position: str | None = None


class Reference(_M):
    letter_no: str
    letter_date: dt.date | None = None
    subject: str = ""
    letter_uuid: uuid.UUID | None = None


class Document(_M):
    path: str
    media_type: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)
    pages: int | None = None
    filename: str | None = None
    title: str | None = None


class Signer(_M):
    given: str = ""
    family: str = ""
    position: str = ""
    org: str = ""
    signature_field: str = ""


class OwnerUnit(_M):
    name: str
    phone: str = ""
    email: str = ""


class LetterJson(_M):
    """``letter.json``: the letter's business metadata; each field maps to one e-CMS element."""

    letter_uuid: uuid.UUID
    letter_no: str = Field(description="ram:ID")
    letter_date: dt.date = Field(description="ram:CorrespondenceDate")
    letter_kind: Literal["external", "memo", "stamped", "directive", "notice", "record"]
    subject: str = Field(min_length=1, max_length=1000, description="ram:Subject")
    secrecy: CodeLabel = Field(description="ram:SecretCode")
    urgency: CodeLabel = Field(description="ram:SpeedCode")
    sender: Sender = Field(description="ram:SenderParty")
    addressees: list[Addressee] = Field(description="ram:ReceiverParty (one per e-CMS message)")
    salutation: str = ""
    references: list[Reference] = Field(default_factory=list, description="ram:ReferenceCorrespondence")
    enclosures_text: str = Field("", description="ram:Attachment")
    send_date: dt.date = Field(description="ram:SendDate")
    remark: str = Field("", description="ram:Description")
    main_document: Document = Field(description="ram:MainLetterBinaryObject")
    enclosures: list[Document] = Field(default_factory=list, description="ram:AttachmentBinaryObject")
    signers: list[Signer] = Field(default_factory=list, description="ram:GovernmentSignature/SignerParty")
    owner_unit: OwnerUnit | None = None
    reply_due: dt.date | None = None
    language: str = "th"
    supersedes: uuid.UUID | None = None
    forwarded: bool = Field(False, description="ส่งต่อ: a received letter passed on as it came; its letter_uuid, "
                                               "letter_no and letter_date are the original sender's")


@dataclass(frozen=True)
class FilePart:
    path: str
    data: bytes
    media_type: str = "application/pdf"


def _manifest(entries: list[tuple[str, str, bytes]]) -> bytes:
    ET.register_namespace("asic", ASIC_NS)
    ET.register_namespace("ds", DS_NS)
    root = ET.Element(f"{{{ASIC_NS}}}ASiCManifest")
    ET.SubElement(root, f"{{{ASIC_NS}}}SigReference", URI=SIGNATURE, MimeType=codes.SIGNATURE_TYPE)
    for path, media_type, data in entries:
        ref = ET.SubElement(root, f"{{{ASIC_NS}}}DataObjectReference", URI=path, MimeType=media_type)
        ET.SubElement(ref, f"{{{DS_NS}}}DigestMethod", Algorithm=SHA256_URI)
        ET.SubElement(ref, f"{{{DS_NS}}}DigestValue").text = base64.b64encode(hashlib.sha256(data).digest()).decode()
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False)


def build(letter_json: dict[str, Any], files: list[FilePart], seal: cades.SealKey, timestamper: Any = None) -> bytes:
    """The package bytes (a ZIP): ``letter.json``, the files, the manifest and the seal's signature over it."""
    meta = json.dumps(letter_json, ensure_ascii=False, indent=1, default=str).encode()
    entries = [("letter.json", "application/json", meta)] + [(f.path, f.media_type, f.data) for f in files]
    manifest = _manifest(entries)
    signature = cades.sign(manifest, seal, timestamper)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), codes.PACKAGE_TYPE, compress_type=zipfile.ZIP_STORED)
        for path, _, data in entries:
            info = zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0))
            z.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED if path.endswith(".json") else zipfile.ZIP_STORED)
        z.writestr(zipfile.ZipInfo(MANIFEST, date_time=(2020, 1, 1, 0, 0, 0)), manifest,
                   compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo(SIGNATURE, date_time=(2020, 1, 1, 0, 0, 0)), signature,
                   compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


@dataclass(frozen=True)
class OpenedPackage:
    letter: LetterJson
    letter_raw: dict[str, Any]
    files: dict[str, bytes]
    seal: cades.CmsReport

    @property
    def main(self) -> bytes:
        return self.files[self.letter.main_document.path]


def _bad(th: str, en: str, **details: Any) -> PackageInvalid:
    return PackageInvalid(f"ชุดเอกสารไม่ถูกต้อง: {th}", f"Invalid package: {en}", details=details or None)


def _read_manifest(raw: bytes) -> dict[str, str]:
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise _bad("ไฟล์ manifest มี DTD", "the manifest has a DTD")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise _bad("อ่าน manifest ไม่ได้", "unreadable manifest") from exc
    if root.tag != f"{{{ASIC_NS}}}ASiCManifest":
        raise _bad("manifest ไม่ใช่ ASiCManifest", "not an ASiCManifest")
    out: dict[str, str] = {}
    for ref in root.findall(f"{{{ASIC_NS}}}DataObjectReference"):
        uri = ref.get("URI") or ""
        method = ref.find(f"{{{DS_NS}}}DigestMethod")
        value = ref.find(f"{{{DS_NS}}}DigestValue")
        if method is None or method.get("Algorithm") != SHA256_URI or value is None or not value.text:
            raise _bad("manifest ต้องใช้ SHA-256", "the manifest must use SHA-256", file=uri)
        out[uri] = value.text.strip()
    return out


def open_package(data: bytes, *, trust: cades.Trust, allowed_sha256: Collection[str], max_bytes: int) -> OpenedPackage:
    """Open and check a package: structure, manifest digests, the seal's signature, ``letter.json``."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _bad("ไม่ใช่ไฟล์ ZIP", "not a ZIP file") from exc
    if not infos or infos[0].filename != "mimetype" or infos[0].compress_type != zipfile.ZIP_STORED:
        raise _bad("ต้องขึ้นต้นด้วย mimetype แบบไม่บีบอัด", "mimetype must come first, stored")
    if len(infos) > MAX_FILES or sum(i.file_size for i in infos) > max_bytes:
        raise _bad("ไฟล์มากหรือใหญ่เกินกำหนด", "too many or too large files")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names) or any(n.startswith("/") or ".." in n.split("/") or "\\" in n for n in names):
        raise _bad("ชื่อไฟล์ในชุดเอกสารไม่ถูกต้อง", "bad file names in the package")
    try:
        files = {n: z.read(n) for n in names}
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _bad("อ่านไฟล์ในชุดเอกสารไม่ได้", "unreadable entry") from exc
    if files["mimetype"] != codes.PACKAGE_TYPE.encode():
        raise _bad("mimetype ไม่ถูกต้อง", "wrong mimetype")
    if MANIFEST not in files or SIGNATURE not in files:
        raise _bad("ไม่มี manifest หรือลายมือชื่อ", "manifest or signature missing")
    digests = _read_manifest(files[MANIFEST])
    payload_names = {n for n in names if n not in ("mimetype", MANIFEST, SIGNATURE) and not n.endswith("/")}
    if set(digests) != payload_names:
        raise _bad("รายการใน manifest ไม่ตรงกับไฟล์", "manifest and files differ",
                   missing=sorted(payload_names - set(digests)), extra=sorted(set(digests) - payload_names))
    for name, value in digests.items():
        if base64.b64encode(hashlib.sha256(files[name]).digest()).decode() != value:
            raise _bad(f"ไฟล์ {name} ถูกแก้ไข", f"{name} was altered", file=name)
    try:
        report = cades.verify(files[MANIFEST], files[SIGNATURE], trust=trust, allowed_sha256=allowed_sha256)
    except cades.CmsInvalid as exc:
        raise _bad("ลายมือชื่อบน manifest ไม่ถูกต้อง", "the manifest signature is invalid", reason=exc.reason) from exc
    try:
        raw = json.loads(files.get("letter.json", b"").decode("utf-8"))
        letter = LetterJson.model_validate(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, ValidationError) as exc:
        raise _bad("letter.json ไม่ถูกต้อง", "letter.json is invalid") from exc
    for doc in [letter.main_document, *letter.enclosures]:
        body = files.get(doc.path)
        if body is None or hashlib.sha256(body).hexdigest() != doc.sha256 or len(body) != doc.size:
            raise _bad(f"ไฟล์ {doc.path} ไม่ตรงกับ letter.json", f"{doc.path} does not match letter.json")
    return OpenedPackage(letter, raw, files, report)


def read_unverified(data: bytes) -> tuple[LetterJson, dict[str, bytes]]:
    """Read a package that was verified when it arrived (stored since): ``letter.json`` and the files."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        files = {n: z.read(n) for n in z.namelist()}
    return LetterJson.model_validate(json.loads(files["letter.json"].decode("utf-8"))), files
