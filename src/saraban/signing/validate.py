"""Validate the signatures of any PDF, ours or received, and report in Thai and English.

For each signature the report says: is it valid, who signed, when (and whether that time comes from
a trusted time-stamp or only from the signer's computer), the certificate chain, whether the
document was changed after signing, and whether the signature covers the whole document.
Validation data embedded in the file (PAdES B-LT/B-LTA) is used; nothing is fetched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import (
    DocumentSecurityStore,
    SignatureCoverageLevel,
    validate_pdf_signature,
    validate_pdf_timestamp,
)
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko_certvalidator import ValidationContext

from saraban.kernel import clock
from saraban.kernel.thai import Digits, format_datetime

from .pki import to_asn1

# pyHanko logs every failed path validation with a traceback; the report says it instead.
logging.getLogger("pyhanko.sign.validation.generic_cms").setLevel(logging.CRITICAL)

Coverage = Literal["entire_file", "entire_revision", "partial", "unclear"]

_COVERAGE = {
    SignatureCoverageLevel.ENTIRE_FILE: "entire_file",
    SignatureCoverageLevel.ENTIRE_REVISION: "entire_revision",
    SignatureCoverageLevel.CONTIGUOUS_BLOCK_FROM_START: "partial",
    SignatureCoverageLevel.UNCLEAR: "unclear",
}

PROBLEMS: dict[str, tuple[str, str]] = {
    "pdf_unreadable": ("อ่านไฟล์ PDF ไม่ได้", "The PDF cannot be read"),
    "no_signature": ("ไม่มีลายมือชื่ออิเล็กทรอนิกส์ในเอกสาร", "The document has no signature"),
    "digest_mismatch": ("เนื้อหาเอกสารไม่ตรงกับที่ลงนาม (ถูกแก้ไข)", "The content does not match what was signed (altered)"),
    "signature_invalid": ("ลายมือชื่อไม่ถูกต้องทางคณิตศาสตร์", "The signature value is not valid"),
    "certificate_untrusted": ("ใบรับรองไม่ได้ออกโดยผู้ออกใบรับรองที่เชื่อถือ", "The certificate is not from a trusted CA"),
    "certificate_expired": ("ใบรับรองหมดอายุหรือยังไม่มีผล ณ เวลาที่ตรวจ", "The certificate was expired or not yet valid"),
    "certificate_revoked": ("ใบรับรองถูกเพิกถอน", "The certificate has been revoked"),
    "modified_after_signing": ("เอกสารถูกแก้ไขเนื้อหาหลังการลงนาม", "The document was modified after signing"),
    "not_whole_document": ("ลายมือชื่อไม่ครอบคลุมทั้งเอกสาร", "The signature does not cover the whole document"),
    "timestamp_invalid": ("ตราประทับเวลาไม่ถูกต้องหรือไม่น่าเชื่อถือ", "The time-stamp is invalid or untrusted"),
}


@dataclass(frozen=True)
class SignatureReport:
    """What one signature (or document time-stamp) in the file says."""

    field: str
    kind: Literal["signature", "timestamp"]
    valid: bool
    signer: str
    """The signer's name (certificate CN) or the TSA's for a document time-stamp."""
    signer_subject: str
    intact: bool
    """The signed bytes are unchanged (the digest matches)."""
    trusted: bool
    """The certificate chains to a trust root, and is in force and not revoked."""
    chain: tuple[str, ...]
    """Certificate subjects from the signer up to the root."""
    signing_time: dt.datetime | None
    """The trusted time (from a time-stamp) if there is one, else the time the signer claims."""
    time_trusted: bool
    """``signing_time`` comes from a valid time-stamp of a trusted TSA."""
    coverage: Coverage
    whole_document: bool
    """The signature covers every byte of the file, or only later signatures / validation data follow."""
    modified_after: bool
    """Something other than signatures, form filling or validation data changed after signing."""
    problems: tuple[str, ...] = ()
    level: str = ""
    """B-B, B-T, B-LT or B-LTA as far as the file shows."""
    validated_at: dt.datetime | None = None
    """Set when the chains were judged at the trusted signing time rather than now (long-term)."""


@dataclass(frozen=True)
class ValidationReport:
    """The validation of every signature in a PDF."""

    sha256: str
    signatures: tuple[SignatureReport, ...]
    problems: tuple[str, ...] = ()
    validated_at: dt.datetime = field(default_factory=clock.now)

    @property
    def valid(self) -> bool:
        """At least one signature, and every signature and time-stamp valid."""
        return bool(self.signatures) and not self.problems and all(s.valid for s in self.signatures)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["valid"] = self.valid
        return data

    def text(self, lang: Literal["th", "en"] = "th", *, digits: Digits = "arabic") -> str:
        """The report as plain text in Thai or English."""
        return format_report(self, lang, digits=digits)


def _problem(code: str, lang: str) -> str:
    th, en = PROBLEMS.get(code, (code, code))
    return th if lang == "th" else en


def format_report(report: ValidationReport, lang: Literal["th", "en"] = "th", *, digits: Digits = "arabic") -> str:
    th = lang == "th"

    def yes(v: bool) -> str:
        return ("ใช่" if v else "ไม่ใช่") if th else ("yes" if v else "no")

    def when(t: dt.datetime | None) -> str:
        if t is None:
            return "-"
        return format_datetime(t, style="full", digit_style=digits) if th else t.isoformat()

    lines = [
        ("ผลการตรวจสอบลายมือชื่ออิเล็กทรอนิกส์" if th else "Signature validation report"),
        (f"ผลรวม: {'ถูกต้อง' if report.valid else 'ไม่ถูกต้อง'}" if th
         else f"Overall: {'VALID' if report.valid else 'NOT VALID'}"),
        f"SHA-256: {report.sha256}",
        (f"ตรวจเมื่อ: {when(report.validated_at)}" if th else f"Validated at: {when(report.validated_at)}"),
    ]
    lines += [f"- {_problem(p, lang)}" for p in report.problems]
    for n, s in enumerate(report.signatures, start=1):
        kind = ("ลายมือชื่อ" if s.kind == "signature" else "ตราประทับเวลาเอกสาร") if th else s.kind
        lines.append("")
        if th:
            lines += [
                f"{kind}ที่ {n} ({s.field}): {'ถูกต้อง' if s.valid else 'ไม่ถูกต้อง'}",
                f"  ผู้ลงนาม: {s.signer}",
                f"  เวลาลงนาม: {when(s.signing_time)}"
                f" ({'จากตราประทับเวลาที่เชื่อถือได้' if s.time_trusted else 'ตามที่เครื่องผู้ลงนามระบุ ไม่มีตราประทับเวลา'})",
                f"  ใบรับรองเชื่อถือได้: {yes(s.trusted)}",
                f"  สายใบรับรอง: {' → '.join(s.chain) or '-'}",
                f"  แก้ไขหลังลงนาม: {yes(s.modified_after)}",
                f"  ครอบคลุมทั้งเอกสาร: {yes(s.whole_document)}",
                f"  เนื้อหาตรงกับที่ลงนาม: {yes(s.intact)}",
            ]
            if s.level:
                lines.append(f"  ระดับ: PAdES {s.level}")
            if s.validated_at:
                lines.append(f"  ตรวจสอบใบรับรอง ณ เวลาลงนาม ({when(s.validated_at)}) จากข้อมูลที่ฝังในเอกสาร")
        else:
            lines += [
                f"{kind.capitalize()} {n} ({s.field}): {'VALID' if s.valid else 'NOT VALID'}",
                f"  Signer: {s.signer}",
                f"  Signing time: {when(s.signing_time)}"
                f" ({'from a trusted time-stamp' if s.time_trusted else 'claimed by the signer, no time-stamp'})",
                f"  Certificate trusted: {yes(s.trusted)}",
                f"  Certificate chain: {' -> '.join(s.chain) or '-'}",
                f"  Modified after signing: {yes(s.modified_after)}",
                f"  Covers the whole document: {yes(s.whole_document)}",
                f"  Content matches what was signed: {yes(s.intact)}",
            ]
            if s.level:
                lines.append(f"  Level: PAdES {s.level}")
            if s.validated_at:
                lines.append(f"  Certificates judged at the signing time ({when(s.validated_at)}) "
                             "with the validation data embedded in the file")
        lines += [f"  - {_problem(p, lang)}" for p in s.problems]
    return "\n".join(lines)


def _asn1_certs(certs: Sequence[x509.Certificate | asn1_x509.Certificate]) -> list[asn1_x509.Certificate]:
    return [c if isinstance(c, asn1_x509.Certificate) else to_asn1(c) for c in certs]


def _asn1_crls(
    crls: Sequence[x509.CertificateRevocationList | asn1_crl.CertificateList],
) -> list[asn1_crl.CertificateList]:
    return [c if isinstance(c, asn1_crl.CertificateList)
            else asn1_crl.CertificateList.load(c.public_bytes(serialization.Encoding.DER)) for c in crls]


def _cn(cert: asn1_x509.Certificate | None) -> str:
    if cert is None:
        return ""
    name = cert.subject.native
    return str(name.get("common_name") or cert.subject.human_friendly)


def _chain(status: Any) -> tuple[str, ...]:
    path = getattr(status, "validation_path", None)
    if path is None:
        return (_cn(status.signing_cert),) if getattr(status, "signing_cert", None) else ()
    try:
        certs = list(path.iter_certs(include_root=True))
    except TypeError:  # older signature of iter_certs
        certs = list(path)
    return tuple(_cn(c) for c in reversed(certs))


def _trust_problem(status: Any) -> str | None:
    if status.trusted and not status.revoked:
        return None
    if status.revoked:
        return "certificate_revoked"
    indic = str(getattr(status, "trust_problem_indic", "") or "")
    if "EXPIRED" in indic or "NOT_YET_VALID" in indic or "OUT_OF_BOUNDS" in indic:
        return "certificate_expired"
    return "certificate_untrusted"


def validate_pdf(
    pdf: bytes,
    *,
    trust_roots: Sequence[x509.Certificate | asn1_x509.Certificate],
    other_certs: Sequence[x509.Certificate | asn1_x509.Certificate] = (),
    crls: Sequence[x509.CertificateRevocationList | asn1_crl.CertificateList] = (),
    moment: dt.datetime | None = None,
) -> ValidationReport:
    """Validate every signature and document time-stamp in ``pdf`` against ``trust_roots``."""
    sha256 = hashlib.sha256(pdf).hexdigest()
    now = moment or clock.now()
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError):
        return ValidationReport(sha256, (), ("pdf_unreadable",), now)
    if not embedded:
        return ValidationReport(sha256, (), ("no_signature",), now)

    kwargs: dict[str, Any] = {
        "trust_roots": _asn1_certs(trust_roots),
        "other_certs": _asn1_certs(other_certs),
        "crls": _asn1_crls(crls),
        "allow_fetching": False,
        "revocation_mode": "soft-fail",
        "moment": now,
    }
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        dss = None

    def context(at: dt.datetime | None = None) -> ValidationContext:
        args = {**kwargs, "moment": at or now}
        return dss.as_validation_context(args) if dss is not None else ValidationContext(**args)

    has_doc_ts = any(sig.sig_object_type == "/DocTimeStamp" for sig in embedded)
    reports = []
    for sig in embedded:
        try:
            if sig.sig_object_type == "/DocTimeStamp":
                reports.append(_timestamp_report(sig, context))
            else:
                reports.append(_signature_report(sig, context, dss is not None, has_doc_ts))
        except (PdfError, ValueError, KeyError, TypeError) as exc:
            reports.append(SignatureReport(
                field=str(sig.field_name), kind="signature", valid=False, signer="", signer_subject="",
                intact=False, trusted=False, chain=(), signing_time=None, time_trusted=False,
                coverage="unclear", whole_document=False, modified_after=True,
                problems=("signature_invalid",), level=type(exc).__name__,
            ))
    return ValidationReport(sha256, tuple(reports), (), now)


def _modification(status: Any) -> tuple[Coverage, bool, bool, list[str]]:
    coverage: Coverage = _COVERAGE.get(status.coverage, "unclear")  # type: ignore[assignment]
    level = status.modification_level
    modified = level is None or level > ModificationLevel.FORM_FILLING or status.docmdp_ok is False
    whole = coverage == "entire_file" or (coverage == "entire_revision" and not modified)
    problems = []
    if modified:
        problems.append("modified_after_signing")
    if not whole:
        problems.append("not_whole_document")
    return coverage, whole, modified, problems


def _chain_apart(sig: Any, context: ValidationContext) -> tuple[str | None, tuple[str, ...]] | None:
    """The signer's certificate chain judged on its own (trust problem or None, the chain's subjects).

    pyHanko leaves the chain unjudged when the signed bytes or the signature value are bad, and reports it
    "untrusted"; but the integrity of the document, the signature and the signer's certificate are separate
    facts: a tampered file signed with a trusted certificate is *tampered*, not *untrusted*."""
    import asyncio

    from pyhanko_certvalidator import CertificateValidator
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError

    cert = getattr(sig, "signer_cert", None)
    if cert is None:
        return None
    validator = CertificateValidator(cert, intermediate_certs=list(sig.other_embedded_certs or ()),
                                     validation_context=context)
    try:
        path = asyncio.run(validator.async_validate_usage(set()))
    except PathValidationError as exc:
        revoked = "revoked" in str(exc).lower()
        expired = "expired" in str(exc).lower() or "not valid until" in str(exc).lower()
        return ("certificate_revoked" if revoked else "certificate_expired" if expired
                else "certificate_untrusted"), (_cn(cert),)
    except (PathBuildingError, ValidationError, ValueError):
        return "certificate_untrusted", (_cn(cert),)
    return None, tuple(_cn(c) for c in reversed(list(path.iter_certs(include_root=True))))


def _report(sig: Any, status: Any, kind: Literal["signature", "timestamp"], extra_problems: Sequence[str],
            chain_apart: tuple[str | None, tuple[str, ...]] | None = None, **fields: Any) -> SignatureReport:
    """The parts of a report common to signatures and document time-stamps."""
    problems: list[str] = []
    if not status.intact:
        problems.append("digest_mismatch")
    elif not status.valid:
        problems.append("signature_invalid")
    trust = _trust_problem(status) if chain_apart is None else chain_apart[0]
    if trust:
        problems.append(trust)
    coverage, whole, modified, mod_problems = _modification(status)
    problems += [*mod_problems, *extra_problems]
    if kind == "timestamp":
        fields.setdefault("time_trusted", not problems)
    return SignatureReport(
        field=str(sig.field_name),
        kind=kind,
        valid=not problems,
        signer=_cn(status.signing_cert),
        signer_subject=status.signing_cert.subject.human_friendly if status.signing_cert else "",
        intact=bool(status.intact),
        trusted=trust is None,
        chain=_chain(status) if chain_apart is None or not chain_apart[1] else chain_apart[1],
        coverage=coverage,
        whole_document=whole,
        modified_after=modified,
        problems=tuple(problems),
        **fields,
    )


def _signature_report(
    sig: Any, context: Callable[[dt.datetime | None], ValidationContext], has_dss: bool, has_doc_ts: bool
) -> SignatureReport:
    status = validate_pdf_signature(sig, signer_validation_context=context(None), ts_validation_context=context(None))
    validated_at = None
    ts = status.timestamp_validity
    if ts is not None and ts.intact and ts.valid and not (status.trusted and ts.trusted):
        # Years later the certificates may have expired and the embedded CRLs be stale.  The
        # time-stamp token binds the signature to a time: judge the chains at that time, with the
        # validation data the file carries (PAdES long-term validation, simplified).
        at_signing = validate_pdf_signature(sig, signer_validation_context=context(ts.timestamp),
                                            ts_validation_context=context(ts.timestamp))
        stamp = at_signing.timestamp_validity
        if at_signing.trusted and stamp is not None and stamp.trusted:
            status, validated_at = at_signing, ts.timestamp
    ts = status.timestamp_validity
    time_trusted = bool(ts is not None and ts.intact and ts.valid and ts.trusted)
    level = "B-B"
    if ts is not None:
        level = "B-T"
        if has_dss:
            level = "B-LTA" if has_doc_ts else "B-LT"
    apart = _chain_apart(sig, context(None)) if not (status.intact and status.valid) else None
    return _report(
        sig, status, "signature", ["timestamp_invalid"] if ts is not None and not time_trusted else [], apart,
        signing_time=ts.timestamp if time_trusted and ts is not None else status.signer_reported_dt,
        time_trusted=time_trusted, level=level, validated_at=validated_at,
    )


def _timestamp_report(sig: Any, context: Callable[[dt.datetime | None], ValidationContext]) -> SignatureReport:
    status = validate_pdf_timestamp(sig, validation_context=context(None))
    if status.intact and status.valid and not status.trusted:
        at_time = validate_pdf_timestamp(sig, validation_context=context(status.timestamp))
        if at_time.trusted:
            status = at_time
    return _report(sig, status, "timestamp", [], signing_time=status.timestamp, level="document time-stamp")
