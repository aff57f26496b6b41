"""PAdES signing of letters with pyHanko: visible Thai signature blocks, several signers in order,
the agency seal with initials, the typed-name mode, and the verification QR code.

Levels: B-T (signature + trusted time-stamp) by default, B-LT when revocation data is at hand
(certificates and CRLs embedded, so the letter validates offline for years), B-LTA on request (plus
a document time-stamp, for archives).  Every signer's certificate is checked before anything is
signed: in force, chaining to a trust root, not revoked, and (through ``expected``) the approved
signer.  The signed file is built in memory and returned only when every signature is in: a failure
leaves nothing half-signed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from pyhanko.pdf_utils.content import PdfContent, RawContent
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, BoxConstraints, InnerScaling, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, Signer
from pyhanko.sign.signers.pdf_signer import DSSContentSettings, SigDSSPlacementPreference
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator import errors as cv_errors

from saraban.kernel import clock
from saraban.kernel.errors import SarabanError
from saraban.kernel.thai import Digits, format_date, format_time
from saraban.kernel.thai import digits as to_digits
from saraban.letterpress import emblem
from saraban.letterpress.content import Letter, Signatory, StampedLetter
from saraban.letterpress.emblem import EmblemImage
from saraban.letterpress.render import FONT_FILES, QR_BOX, Box, RenderedLetter, RenderSettings, render_letter

from . import qr
from .errors import (
    CertificateExpired,
    CertificateRevoked,
    CertificateUntrusted,
    CertificateUnusable,
    DocumentTampered,
    IdentityNotVerified,
    NoSignatureSpace,
    PdfInvalid,
    SignerNotApproved,
    SigningError,
    TimestampFailed,
)
from .pki import to_asn1
from .seal import OUTER_DIAMETER, seal_marks, seal_pdf
from .signers import KeySource
from .stampfont import StampFontFactory
from .validate import validate_pdf


class _NoFetchWarning(logging.Filter):
    """pyHanko warns that it embeds validation data without fetching: that is what we want (the
    revocation data comes from :class:`TrustSettings`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_NoFetchWarning())


class Level(StrEnum):
    """PAdES baseline levels."""

    B_B = "B-B"
    B_T = "B-T"
    B_LT = "B-LT"
    B_LTA = "B-LTA"


ExpectedSigner = Callable[[x509.Certificate], bool]
"""Says whether a certificate belongs to the signer approved for this letter."""


def expect_certificate(cert: x509.Certificate) -> ExpectedSigner:
    """Only this very certificate may sign."""
    fingerprint = cert.fingerprint(hashes.SHA256())
    return lambda c: c.fingerprint(hashes.SHA256()) == fingerprint


def expect_email(email: str) -> ExpectedSigner:
    """Any valid certificate of the person with this e-mail address may sign."""
    wanted = email.strip().lower()

    def check(c: x509.Certificate) -> bool:
        try:
            san = c.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            emails = san.get_values_for_type(x509.RFC822Name)
        except x509.ExtensionNotFound:
            emails = []
        emails += [str(a.value) for a in c.subject.get_attributes_for_oid(x509.NameOID.EMAIL_ADDRESS)]
        return wanted in (e.lower() for e in emails)

    return check


@dataclass(frozen=True)
class TrustSettings:
    """What signing and validation trust, and the services they use."""

    trust_roots: tuple[x509.Certificate, ...]
    other_certs: tuple[x509.Certificate, ...] = ()
    """Intermediate CA and TSA certificates to build chains with."""
    crls: tuple[x509.CertificateRevocationList, ...] = ()
    """Revocation data: when present, the default level is B-LT and the CRLs are embedded."""
    timestamper: TimeStamper | None = None

    def validation_context(self, moment: dt.datetime | None = None) -> ValidationContext:
        return ValidationContext(
            trust_roots=[to_asn1(c) for c in self.trust_roots],
            other_certs=[to_asn1(c) for c in self.other_certs],
            crls=[c.public_bytes(serialization.Encoding.DER) for c in self.crls],
            allow_fetching=False,
            revocation_mode="hard-fail" if self.crls else "soft-fail",
            moment=moment or clock.now(),
        )

    def default_level(self) -> Level:
        if self.timestamper is None:
            return Level.B_B
        return Level.B_LT if self.crls else Level.B_T


@dataclass(frozen=True)
class Signing:
    """One signature to put on a document."""

    key: KeySource
    box: Box | None = None
    """Where the visible signature goes; ``None`` signs invisibly."""
    name: str | None = None
    """Name on the visible block (default: the certificate's common name)."""
    position: str = ""
    appearance: Literal["text", "seal"] = "text"
    agency: str = ""
    """For the seal appearance: the agency named round the ring."""
    initials: str = ""
    """For the seal appearance: the responsible official's initials beside the seal."""
    centre_uri: str | None = None
    """For the seal appearance: the emblem image in the seal's centre (a ``data:`` URI); ``None``: a star."""
    expected: ExpectedSigner | None = None
    """The approval hook: the signer's certificate must satisfy it."""
    reason: str | None = None
    location: str | None = None


@dataclass(frozen=True)
class VerifiedIdentity:
    """A user whose identity the system verified (e.g. ThaID, password + OTP) in this session."""

    name: str
    position: tuple[str, ...] = ()
    method: str = ""
    verified: bool = False


def typed_name(identity: VerifiedIdentity) -> Signatory:
    """The typed-name signature of Regulation No. 4: the verified user's typed name and the system time.

    No cryptographic signature: the name and the clock's time are printed on the letter (or the
    endorsement) in place of a handwritten signature and a typed date.
    """
    if not identity.verified or not identity.name.strip():
        raise IdentityNotVerified()
    return Signatory(name=identity.name, position=identity.position, typed_at=clock.now(),
                     verified_by=identity.method)


# --- appearance ------------------------------------------------------------------------------------

_INK = (0.05, 0.15, 0.55)


TEXT_STAMP = "ลงนามโดย %(signer)s\n%(position)s\nเมื่อ %(when)s"
SEAL_STAMP = "%(initials)s\n%(when)s"


def _text_style(font_size: int = 10) -> TextStampStyle:
    return TextStampStyle(
        stamp_text=TEXT_STAMP,
        text_box_style=TextBoxStyle(
            font=StampFontFactory(str(FONT_FILES["regular"]), font_size=font_size),
            font_size=font_size, leading=round(font_size * 1.45), text_color=_INK,
        ),
        border_width=1,
        border_color=_INK,
        inner_content_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID,
            margins=Margins(4, 4, 3, 3), inner_content_scaling=InnerScaling.SHRINK_TO_FIT,
        ),
    )


class _PdfPage(PdfContent):
    """Page 1 of a PDF (in memory) as a stamp background: the seal with its centre emblem."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self.data = data

    def render(self) -> bytes:
        from pyhanko.pdf_utils.reader import PdfFileReader

        xobj = self._ensure_writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        name = "/SealPage"
        self.resources.xobject[name] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return f"{name} Do".encode()


def _seal_style(agency: str, centre_uri: str | None = None) -> TextStampStyle:
    size = OUTER_DIAMETER
    background: PdfContent = (_PdfPage(seal_pdf(agency, centre_uri)) if centre_uri
                              else RawContent(seal_marks(agency), box=BoxConstraints(width=size, height=size)))
    return TextStampStyle(
        stamp_text=SEAL_STAMP,
        text_box_style=TextBoxStyle(
            font=StampFontFactory(str(FONT_FILES["regular"]), font_size=10),
            font_size=10, leading=15, text_color=_INK,
        ),
        border_width=0,
        background=background,
        background_opacity=1.0,
        background_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MIN, y_align=AxisAlignment.ALIGN_MID,
            inner_content_scaling=InnerScaling.NO_SCALING,
        ),
        inner_content_layout=SimpleBoxLayoutRule(  # beside the seal, never over it
            x_align=AxisAlignment.ALIGN_MIN, y_align=AxisAlignment.ALIGN_MID,
            margins=Margins(left=size + 6, right=2, top=2, bottom=2),
            inner_content_scaling=InnerScaling.SHRINK_TO_FIT,
        ),
    )


class _ClockedPdfSigner(PdfSigner):
    """pyHanko's signer, with the signing time taken from Saraban's clock, and the space reserved for
    the signature estimated once per signer, not by a trial signature every time."""

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = clock.now()
        estimate = session.estimate_signature_container_size
        key = self._size_key()

        async def remembered(validation_info: Any, tight: bool = False) -> int:
            if key is None or tight or getattr(validation_info, "adobe_revinfo_attr", None) is not None:
                return int(await estimate(validation_info, tight=tight))
            size = _RESERVED.get(key)
            if size is None:
                if len(_RESERVED) > 1024:
                    _RESERVED.clear()
                size = _RESERVED[key] = int(await estimate(validation_info, tight=tight))
            return size

        session.estimate_signature_container_size = remembered  # type: ignore[method-assign]
        return session

    def _size_key(self) -> tuple[object, ...] | None:
        """What the signature's size depends on: the certificates it carries, the digest, the PAdES
        form and the time-stamp (pyHanko's estimate already leaves a 50 % margin for the TSA's answer)."""
        signer, meta = self.signer, self.signature_meta
        if signer.signing_cert is None or meta.cades_signed_attr_spec is not None:
            return None
        certs = sorted(c.sha256 for c in signer.cert_registry)
        stamper = self.default_timestamper
        return (signer.signing_cert.sha256, tuple(certs), meta.md_algorithm, meta.subfilter,
                type(stamper).__name__, getattr(stamper, "url", None))


_RESERVED: dict[tuple[object, ...], int] = {}
"""Bytes reserved for a signature, by :meth:`_ClockedPdfSigner._size_key`."""


# --- checks ------------------------------------------------------------------------------------------


def _crypto_cert(signer: Signer) -> x509.Certificate:
    cert = signer.signing_cert
    if cert is None:
        raise SigningError(reason="the key has no certificate")
    return x509.load_der_x509_certificate(cert.dump())


def check_certificate(cert: x509.Certificate, trust: TrustSettings, *, at: dt.datetime | None = None) -> None:
    """Refuse a certificate that is not in force, not trusted, revoked, or not for signing.

    Like pyHanko's own signing, this runs an event loop: call it (and :func:`sign_pdf`) from
    synchronous code or a worker thread, not from inside a running loop.
    """
    now = at or clock.now()
    subject = cert.subject.rfc4514_string()
    if not (cert.not_valid_before_utc <= now <= cert.not_valid_after_utc):
        raise CertificateExpired(subject=subject, not_after=cert.not_valid_after_utc.isoformat())
    key = _check_key(cert, trust)
    checked = _CHECKED.get(key)
    if checked is not None and time.monotonic() < checked[0] and checked[1] <= now <= checked[2]:
        return
    validator = CertificateValidator(
        to_asn1(cert), intermediate_certs=[to_asn1(c) for c in trust.other_certs],
        validation_context=trust.validation_context(now),
    )
    try:
        path = asyncio.run(validator.async_validate_usage({"non_repudiation"}))
    except cv_errors.RevokedError as exc:
        raise CertificateRevoked(subject=subject) from exc
    except (cv_errors.ExpiredError, cv_errors.NotYetValidError) as exc:
        raise CertificateExpired(subject=subject) from exc
    except cv_errors.InvalidCertificateError as exc:
        raise CertificateUnusable(subject=subject, reason=str(exc)) from exc
    except (cv_errors.PathBuildingError, cv_errors.PathValidationError) as exc:
        raise CertificateUntrusted(subject=subject, reason=str(exc)) from exc
    except cv_errors.ValidationError as exc:
        raise CertificateUntrusted(subject=subject, reason=str(exc)) from exc
    _remember_check(key, path, trust)


_CHECKED: dict[tuple[bytes, ...], tuple[float, dt.datetime, dt.datetime]] = {}
"""Certificates found good (path to a trust root, usage, not revoked), with when the finding holds:
until a monotonic deadline (:data:`CHECK_SECONDS`) and while Saraban's clock stays inside every
certificate's validity period and the CRLs' update period.  The key holds the certificate and the
whole trust (roots, other certificates, CRLs): new revocation data is a new key."""
CHECK_SECONDS = 300.0


def _check_key(cert: x509.Certificate, trust: TrustSettings) -> tuple[bytes, ...]:
    sha = hashes.SHA256()
    return (cert.fingerprint(sha), b"roots", *(c.fingerprint(sha) for c in trust.trust_roots), b"others",
            *(c.fingerprint(sha) for c in trust.other_certs), b"crls", *(c.fingerprint(sha) for c in trust.crls))


def _remember_check(key: tuple[bytes, ...], path: Any, trust: TrustSettings) -> None:
    certs = list(path.iter_certs(include_root=True))
    starts = [c.not_valid_before for c in certs]
    ends = [c.not_valid_after for c in certs]
    for crl in trust.crls:
        starts.append(crl.last_update_utc)
        if crl.next_update_utc is not None:
            ends.append(crl.next_update_utc)
    if len(_CHECKED) > 1024:
        _CHECKED.clear()
    _CHECKED[key] = (time.monotonic() + CHECK_SECONDS, max(starts), min(ends))


def _check_existing(pdf: bytes, trust: TrustSettings) -> None:
    report = validate_pdf(pdf, trust_roots=trust.trust_roots, other_certs=trust.other_certs, crls=trust.crls)
    if report.problems == ("no_signature",):
        return
    if report.problems == ("pdf_unreadable",):
        raise PdfInvalid()
    if report.problems or not all(s.intact and not s.modified_after for s in report.signatures):
        raise DocumentTampered(problems=[p for s in report.signatures for p in s.problems] or list(report.problems))


def _when_text(digits: Digits, style: Literal["abbr", "memo"] = "abbr") -> str:
    now = clock.now()
    return to_digits(f"{format_date(now, style=style)} {format_time(now)}", digits)


# --- signing ----------------------------------------------------------------------------------------


def sign_pdf(
    pdf: bytes,
    signings: Sequence[Signing],
    trust: TrustSettings,
    *,
    level: Level | None = None,
    verification_url: str | None = None,
    qr_box: Box = QR_BOX,
    digits: Digits = "thai",
) -> bytes:
    """Sign ``pdf`` with every one of ``signings`` in order; return the signed file.

    With ``verification_url``, the QR code pointing to it is drawn on page 1 first (only on a
    document not yet signed).  Raises a :class:`~saraban.signing.errors.SigningError` and returns
    nothing if any step fails.
    """
    return _sign_all(pdf, signings, trust, level=level, verification_url=verification_url, qr_box=qr_box,
                     digits=digits)[0]


def _sign_all(
    pdf: bytes,
    signings: Sequence[Signing],
    trust: TrustSettings,
    *,
    level: Level | None,
    verification_url: str | None,
    qr_box: Box,
    digits: Digits,
) -> tuple[bytes, list[str]]:
    """:func:`sign_pdf`, also returning the text drawn in each visible signature block."""
    level = level or trust.default_level()
    if level != Level.B_B and trust.timestamper is None:
        raise TimestampFailed(reason=f"{level} needs a time-stamping authority")
    if not pdf.startswith(b"%PDF-"):
        raise PdfInvalid()
    _check_existing(pdf, trust)
    current = qr.add_qr(pdf, verification_url, qr_box) if verification_url else pdf
    texts: list[str] = []
    for index, signing in enumerate(signings):
        last = index == len(signings) - 1
        try:
            current, text = _sign_one(current, signing, trust, level, last, digits)
        except SarabanError:
            raise
        except (PyHankoSigningError, PdfError) as exc:
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, SarabanError):
                raise cause from exc
            raise SigningError(reason=str(exc), signer=index + 1) from exc
        texts.append(text)
    return current, texts


def _sign_one(
    pdf: bytes, signing: Signing, trust: TrustSettings, level: Level, last: bool, digits: Digits
) -> tuple[bytes, str]:
    with signing.key.open() as signer:
        cert = _crypto_cert(signer)
        check_certificate(cert, trust)
        if signing.expected is not None and not signing.expected(cert):
            raise SignerNotApproved(subject=cert.subject.rfc4514_string())
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        existing = len(writer.prev.embedded_signatures)
        name = f"Signature{existing + 1}"
        long_term = level in (Level.B_LT, Level.B_LTA)
        meta = PdfSignatureMetadata(
            field_name=name,
            md_algorithm="sha256",
            subfilter=SigSeedSubFilter.PADES,
            embed_validation_info=long_term,
            use_pades_lta=level == Level.B_LTA and last,
            validation_context=trust.validation_context() if long_term else None,
            # B-LT in one revision: the DSS (chains and CRLs of the signer and the TSA) is written
            # with the signature and covered by it, so the signature still covers the whole file.
            dss_settings=DSSContentSettings(
                placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE, include_vri=False
            ),
            reason=signing.reason,
            location=signing.location,
            name=_common_name(cert),
        )
        box = signing.box
        spec = (SigFieldSpec(name, on_page=box.page, box=tuple(round(v, 2) for v in box.rect)) if box
                else SigFieldSpec(name))
        if signing.appearance == "seal":
            style = _seal_style(signing.agency or _common_name(cert), signing.centre_uri)
            params = {"initials": to_digits(signing.initials or "", digits), "when": _when_text(digits, "memo")}
        else:
            style = _text_style()
            params = {"signer": signing.name or _common_name(cert), "position": signing.position or " ",
                      "when": _when_text(digits)}
        pdf_signer = _ClockedPdfSigner(
            meta, signer=signer,
            timestamper=trust.timestamper if level != Level.B_B else None,
            stamp_style=style, new_field_spec=spec,
        )
        out = io.BytesIO()
        pdf_signer.sign_pdf(writer, output=out, appearance_text_params=params)
        return out.getvalue(), (style.stamp_text % params if box else "")


def _common_name(cert: x509.Certificate) -> str:
    attrs = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else cert.subject.rfc4514_string()


def write_atomic(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so a reader never sees half a file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- letters ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedLetter:
    """A letter rendered and signed."""

    pdf: bytes
    rendered: RenderedLetter
    level: Level
    stamps: tuple[tuple[str, str], ...] = ()
    """(signature space, text drawn in its visible block), in signing order."""

    @property
    def text(self) -> str:
        """The letter's printed text with each visible signature block's text in its place."""
        pages = [t.split("\n") for t in self.rendered.page_texts]
        inserts = sorted(((self.rendered.slots[slot], text) for slot, text in self.stamps
                          if text and slot in self.rendered.slots), reverse=True)
        for (page, line), text in inserts:
            pages[page][line:line] = text.split("\n")
        return "".join("\n".join(lines) + "\f" for lines in pages)


@dataclass(frozen=True)
class LetterSigner:
    """Who signs one signature space of a letter: the key, and the approval hook."""

    key: KeySource
    expected: ExpectedSigner | None = None
    position: str | None = None
    name: str | None = None
    """Name on the visible block (default: the certificate's common name, which X.509 may cut short)."""


@dataclass(frozen=True)
class LetterSigning:
    """How to sign a letter: the keys in signing order, the trust, the level, the QR URL."""

    signers: tuple[LetterSigner, ...]
    trust: TrustSettings
    level: Level | None = None
    verification_url: str | None = None
    settings: RenderSettings = field(default_factory=RenderSettings)
    seal_centre: EmblemImage | None = None
    """The image in the centre of a stamped letter's seal: the agency's own seal; ``None``: the
    letter's emblem (the Garuda, or the placeholder)."""


def sign_letter(letter: Letter, how: LetterSigning) -> SignedLetter:
    """Render ``letter`` and sign it: each signer in its signature space, in order.

    A stamped letter takes one signer (the agency seal key): its appearance is the red seal with
    the initials.  Kinds without signature spaces (statements, news, typed-name records) are signed
    invisibly.  The number and date must already be on ``letter``.
    """
    rendered = render_letter(letter, how.settings)
    signings: list[Signing] = []
    slots: list[str] = []
    if isinstance(letter, StampedLetter):
        if len(how.signers) != 1:
            raise NoSignatureSpace(signers=len(how.signers), spaces=1)
        s = how.signers[0]
        centre = how.seal_centre or emblem.load(how.settings.emblem)
        signings.append(Signing(key=s.key, box=rendered.seal_box, appearance="seal", agency=letter.sending_agency,
                                initials=letter.initials, centre_uri=centre.uri(), expected=s.expected))
        slots.append("seal-1")
    else:
        boxes = rendered.signature_boxes
        signatories = [sig for sig in letter.all_signatories() if sig.typed_at is None]
        if boxes and len(how.signers) > len(boxes):
            raise NoSignatureSpace(signers=len(how.signers), spaces=len(boxes))
        for n, s in enumerate(how.signers):
            box = boxes[n] if n < len(boxes) else None
            who = signatories[n] if n < len(signatories) else None
            position = s.position if s.position is not None else (" ".join(who.position) if who else "")
            signings.append(Signing(key=s.key, box=box, name=s.name, position=position, expected=s.expected))
            slots.append(f"sig-{n + 1}")
    level = how.level or how.trust.default_level()
    pdf, texts = _sign_all(rendered.pdf, signings, how.trust, level=level, verification_url=how.verification_url,
                           qr_box=rendered.qr_box, digits=how.settings.digits)
    return SignedLetter(pdf=pdf, rendered=rendered, level=level, stamps=tuple(zip(slots, texts, strict=True)))
