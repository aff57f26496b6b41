"""Checking signed PDFs: the letter page's validation report, and the public verification page.

The public page (``/verify/<token>``, reached from the QR code on a signed letter) shows the
letter's hash, number, date and signature status, and lets anyone upload a PDF to compare it with
our record.  It never shows a letter's subject or text.  For a classified (ลับ/ลับมาก) letter it
shows even less — that a letter of the agency with this hash was signed, when, and whether the
signatures were valid when it was signed — and never reads the encrypted file for an anonymous
visitor.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from saraban.kernel.models import Secrecy
from saraban.letters.models import LetterFile
from saraban.signing.validate import ValidationReport, validate_pdf
from saraban.storage import blobs

from . import trust
from .models import SignedRecord

MAX_UPLOAD = 20 * 1024 * 1024


def validate(pdf: bytes) -> ValidationReport:
    """Validate ``pdf`` against this deployment's trust (roots, intermediates, CRLs)."""
    return validate_pdf(pdf, **trust.validation_args())  # type: ignore[arg-type]


def record_for_token(token: str) -> SignedRecord | None:
    if not token or len(token) > 64:
        return None
    return (SignedRecord.objects.select_related("letter__agency", "signed_file__blob", "entry__book")
            .filter(token=token).first())


def record_for_hash(sha256: str) -> SignedRecord | None:
    return SignedRecord.objects.select_related("letter__agency").filter(sha256=sha256).first()


def is_classified(record: SignedRecord) -> bool:
    return record.letter.secrecy != Secrecy.NORMAL


@dataclass(frozen=True)
class Comparison:
    """An uploaded PDF compared with a signed record."""

    sha256: str
    matches: bool
    """Byte for byte the file we signed."""
    appended: bool = False
    """Our signed file followed by more: changed after signing (an incremental update)."""
    report: ValidationReport | None = None
    problems: list[str] = field(default_factory=list)


def compare(record: SignedRecord | None, upload: bytes) -> Comparison:
    """Compare ``upload`` with ``record`` (or with nothing: then only validate it)."""
    digest = hashlib.sha256(upload).hexdigest()
    if record is not None and digest == record.sha256:
        return Comparison(digest, True, report=None if is_classified(record) else validate(upload))
    appended = False
    if record is not None and len(upload) > record.signed_file.blob.size and not is_classified(record):
        head = upload[:record.signed_file.blob.size]
        appended = hashlib.sha256(head).hexdigest() == record.sha256
    return Comparison(digest, False, appended=appended, report=validate(upload))


def live_report(record: SignedRecord) -> ValidationReport | None:
    """Validate the stored signed file now (not for classified letters: see the module docstring)."""
    if is_classified(record):
        return None
    return validate(blobs.read(record.signed_file.blob))


def files_to_check(files: list[LetterFile]) -> list[LetterFile]:
    """The PDFs of a letter worth validating: what was received or signed (not our derived stamps)."""
    return [f for f in files if f.role in ("letter", "signed", "enclosure")
            and f.blob.content_type == "application/pdf"]


def report_view(report: ValidationReport, lang: str) -> dict[str, Any]:
    """A report as template data, in Thai or English."""
    from saraban.signing.validate import PROBLEMS
    from saraban.signing.verdict import judge, overall

    th = lang != "en"
    problems = [PROBLEMS.get(p, (p, p))[0 if th else 1] for p in report.problems]
    sigs = []
    for s in report.signatures:
        j = judge(s)
        sigs.append({
            "s": s, "problems": [PROBLEMS.get(p, (p, p))[0 if th else 1] for p in s.problems],
            "test": j.test, "judgement": j,
        })
    return {"report": report, "problems": problems, "sigs": sigs, "text": report.text("th" if th else "en"),
            "overall": overall(report.signatures, report.problems)}
