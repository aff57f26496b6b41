"""Building what the outbox sends: ``letter.json``, the package, the envelope, business signals."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from saraban.kernel import clock
from saraban.letters.models import Direction, FileRole, Letter, LetterFile
from saraban.orgs.models import Agency
from saraban.registry.models import RegisterEntry
from saraban.storage import blobs
from saraban.storage.models import Blob

from . import codes, package
from .models import Dispatch, Participant


def letter_file(letter: Letter) -> LetterFile | None:
    """What is sent: the newest signed copy, else the newest copy stamped with its number, else the letter."""
    files = list(LetterFile.objects.select_related("blob").filter(letter=letter).order_by("created_at"))
    for role in (FileRole.SIGNED, FileRole.NUMBERED):
        picked = [f for f in files if f.role == role]
        if picked:
            return picked[-1]
    return next((f for f in files if f.role == FileRole.LETTER), None)


def enclosure_files(letter: Letter) -> list[LetterFile]:
    """The letter's enclosures in order: they travel with it, byte for byte."""
    return list(LetterFile.objects.select_related("blob").filter(letter=letter, role=FileRole.ENCLOSURE)
                .order_by("order", "created_at"))


def enclosure_path(n: int, name: str) -> str:
    """Where enclosure ``n`` sits in the package: ``documents/enclosure-01.pdf`` (its own extension)."""
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    ext = ext if ext.isascii() and ext.isalnum() and len(ext) <= 8 else "bin"
    return f"documents/enclosure-{n:02d}.{ext}"


def pdf_signers(pdf: bytes) -> list[dict[str, str]]:
    """Signature fields in the PDF and their signers' names (read, not validated: that is the receiver's job)."""
    import pikepdf
    from asn1crypto import cms

    out = []
    try:
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            fields = doc.Root.get("/AcroForm", {}).get("/Fields", [])
            for f in fields:
                value = f.get("/V")
                if f.get("/FT") != "/Sig" or value is None or value.get("/Type") == "/DocTimeStamp":
                    continue
                # the CMS as it is, zero padding and all: loading reads its length from its header and leaves
                # the padding (stripping the zeros first cut off a signature whose last byte was 0: 1 in 256)
                sd = cms.ContentInfo.load(bytes(value.Contents))["content"]
                sid = sd["signer_infos"][0]["sid"].chosen
                cn = next((c.chosen.subject.native.get("common_name", "") for c in sd["certificates"]
                           if c.name == "certificate" and c.chosen.serial_number == sid["serial_number"].native), "")
                out.append({"given": str(cn), "family": "", "position": "", "org": "",
                            "signature_field": str(f.get("/T", ""))})
    except Exception:  # an unreadable PDF has no signers to name; the receiver's validator says why
        return []
    return out


def _participant(code: str) -> Participant | None:
    from . import directory
    from .errors import UnknownParticipant

    try:
        return directory.participant(code)
    except UnknownParticipant:
        return None


def _org(code: str) -> str:
    p = _participant(code)
    return p.org if p else f"th-org:{code}"


def letter_json(letter: Letter, batch: list[Dispatch], main: LetterFile, main_data: bytes,
                enclosures: list[tuple[Any, bytes]]) -> dict[str, Any]:
    agency: Agency = letter.agency
    unit = letter.unit
    entry = RegisterEntry.objects.filter(letter=letter, cancelled=False).order_by("registered_at").first()
    if letter.direction != Direction.OUTGOING:  # a forwarded letter keeps its own number, not our receipt number
        entry = None
    me = _participant(agency.code)
    ministry = me.ministry if me else ""
    forwarded = any(d.forward for d in batch)
    doc = {
        "letter_uuid": str(letter.letter_uuid),
        "letter_no": entry.display if entry else letter.their_ref,
        "letter_date": (letter.letter_date or clock.today()).isoformat(),
        "letter_kind": letter.kind,
        "subject": letter.subject,
        "secrecy": codes.classification(letter.secrecy),
        "urgency": codes.priority(letter.urgency),
        "sender": {"org": _org(agency.code), "ministry": ministry, "unit": unit.name_th},
        "addressees": [{"org": d.recipient_org or _org(d.recipient_code), "role": "to",
                        "position": letter.addressee if len(batch) == 1 else d.recipient_name} for d in batch],
        "salutation": f"เรียน {letter.addressee}" if letter.addressee and not forwarded else "",
        "references": references(letter),
        "enclosures_text": "\n".join(f.label for f, _ in enclosures),
        "send_date": clock.today().isoformat(),
        "remark": forward_remark(letter) if forwarded else letter.remark,
        "main_document": {"path": "documents/letter.pdf", "media_type": "application/pdf", "sha256": main.blob.sha256,
                          "size": len(main_data), "pages": main.pages, "filename": main.name},
        "enclosures": [
            {"path": enclosure_path(i, f.name), "filename": f.name, "title": f.label, "pages": f.pages,
             "media_type": f.blob.content_type or "application/octet-stream", "sha256": f.blob.sha256,
             "size": len(data)}
            for i, (f, data) in enumerate(enclosures, start=1)
        ],
        "signers": pdf_signers(main_data),
        "owner_unit": {"name": f"{unit.name_th} {agency.name_th}".strip(), "phone": unit.phone,
                       "email": unit.email or agency.central_email},
        "reply_due": None,
        "language": "th",
        "forwarded": forwarded,
    }
    return doc


def references(letter: Letter) -> list[dict[str, Any]]:
    """อ้างถึง: the letter this one answers, with its letter_uuid so the receiver can link the two."""
    answered = letter.reply_to
    if answered is None:
        return []
    return [{"letter_no": answered.their_ref, "letter_date": answered.letter_date.isoformat()
             if answered.letter_date else None, "subject": answered.subject, "letter_uuid": str(answered.letter_uuid)}]


@dataclass(frozen=True)
class CoverPart:
    """A forward's covering memo, sent as the first enclosure (it is no file of the letter)."""

    blob: Blob
    name: str = "บันทึกนำส่ง.pdf"
    label: str = "บันทึกนำส่ง (ส่งต่อ)"
    pages: int | None = 1


def forward_remark(letter: Letter) -> str:
    return (f"ส่งต่อโดย {letter.agency.name_th}: หนังสือ{letter.sender} ที่ {letter.their_ref}"
            f"{' ' + letter.remark if letter.remark else ''}")[:1000]


def letter_package(letter: Letter, batch: list[Dispatch], seal: Any, timestamper: Any) -> tuple[bytes, bool]:
    """(package bytes, whether the letter file is digitally signed).  A forward carries the letter's own file
    (as received, never the stamped copy) and its covering memo first among the enclosures."""
    main = letter_file(letter)
    if main is None:
        raise LookupError("the letter has no file")
    main_data = blobs.read(main.blob)
    enclosures: list[tuple[Any, bytes]] = [(f, blobs.read(f.blob)) for f in enclosure_files(letter)]
    cover = next((d.cover for d in batch if d.cover_id), None)
    if cover is not None:
        enclosures.insert(0, (CoverPart(cover), blobs.read(cover)))
    meta = letter_json(letter, batch, main, main_data, enclosures)
    files = [package.FilePart("documents/letter.pdf", main_data)]
    files += [package.FilePart(e["path"], data, e["media_type"]) for e, (_, data) in
              zip(meta["enclosures"], enclosures, strict=True)]
    return package.build(meta, files, seal, timestamper), bool(meta["signers"])


def default_ttl(urgency: str) -> dt.timedelta:
    """How long delivery is attempted: 72 hours (MEDO's limit); 24 hours for ด่วนที่สุด."""
    return dt.timedelta(hours=24 if urgency == "most_urgent" else 72)
