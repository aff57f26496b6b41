"""Errors of the signing layer: a stable code, a message in Thai and English, nothing half-signed.

Every failure of :func:`saraban.signing.pades.sign_pdf` raises one of these *before* any output
exists: signing builds the signed file in memory and hands it back only when every signature is in.
"""

from __future__ import annotations

from typing import Any

from saraban.kernel.errors import SarabanError


class SigningError(SarabanError):
    """Signing could not be completed; nothing was signed."""

    code = "signing_failed"
    status = 422
    message_th = "ไม่สามารถลงนามหนังสือได้"
    message_en = "The letter could not be signed"

    def __init__(self, message_th: str | None = None, message_en: str | None = None, **details: Any) -> None:
        super().__init__(message_th, message_en, details=details or None)


class PdfInvalid(SigningError):
    code = "pdf_invalid"
    message_th = "ไฟล์ไม่ใช่ PDF ที่อ่านได้"
    message_en = "The file is not a readable PDF"


class DocumentTampered(SigningError):
    code = "document_tampered"
    message_th = "เอกสารถูกแก้ไขหลังจากลงนามไว้แล้ว หรือลายมือชื่อเดิมไม่ถูกต้อง จึงลงนามต่อไม่ได้"
    message_en = "The document was changed after an earlier signature, or an earlier signature is invalid"


class CertificateExpired(SigningError):
    code = "certificate_expired"
    message_th = "ใบรับรองของผู้ลงนามหมดอายุแล้ว หรือยังไม่ถึงวันเริ่มใช้"
    message_en = "The signer's certificate has expired or is not yet valid"


class CertificateUntrusted(SigningError):
    code = "certificate_untrusted"
    message_th = "ใบรับรองของผู้ลงนามไม่ได้ออกโดยผู้ให้บริการออกใบรับรองที่เชื่อถือ"
    message_en = "The signer's certificate does not chain to a trusted certification authority"


class CertificateRevoked(SigningError):
    code = "certificate_revoked"
    message_th = "ใบรับรองของผู้ลงนามถูกเพิกถอนแล้ว"
    message_en = "The signer's certificate has been revoked"


class CertificateUnusable(SigningError):
    code = "certificate_unusable"
    message_th = "ใบรับรองนี้ใช้ลงนามเอกสารไม่ได้"
    message_en = "This certificate may not be used to sign documents"


class TokenMissing(SigningError):
    code = "token_missing"
    message_th = "ไม่พบอุปกรณ์เก็บกุญแจ (token) ที่ระบุ โปรดเสียบอุปกรณ์แล้วลองอีกครั้ง"
    message_en = "The signing token was not found; insert it and try again"


class PinIncorrect(SigningError):
    code = "pin_incorrect"
    message_th = "รหัส PIN หรือรหัสผ่านของกุญแจไม่ถูกต้อง"
    message_en = "The PIN or key password is incorrect"


class PinLocked(SigningError):
    code = "pin_locked"
    message_th = "รหัส PIN ถูกล็อกเนื่องจากใส่ผิดหลายครั้ง"
    message_en = "The PIN is locked after too many wrong attempts"


class KeyMissing(SigningError):
    code = "key_missing"
    message_th = "ไม่พบกุญแจส่วนตัวหรือใบรับรองสำหรับลงนาม"
    message_en = "The signing key or certificate was not found"


class SignerNotApproved(SigningError):
    code = "signer_not_approved"
    status = 403
    message_th = "ผู้ลงนามไม่ใช่ผู้ที่ได้รับอนุมัติให้ลงนามหนังสือฉบับนี้"
    message_en = "The signer is not the one approved to sign this letter"


class IdentityNotVerified(SigningError):
    code = "identity_not_verified"
    status = 403
    message_th = "ต้องยืนยันตัวตนก่อนจึงจะพิมพ์ชื่อแทนการลงลายมือชื่อได้"
    message_en = "A typed name may replace a signature only for an identity-verified user"


class TimestampFailed(SigningError):
    code = "timestamp_failed"
    status = 503
    message_th = "ขอประทับเวลาจากหน่วยงานประทับเวลาไม่สำเร็จ"
    message_en = "The time-stamping authority did not answer"


class QrAfterSignature(SigningError):
    code = "qr_after_signature"
    message_th = "เพิ่มคิวอาร์โค้ดบนเอกสารที่ลงนามแล้วไม่ได้"
    message_en = "A QR code cannot be added to a document that is already signed"


class NoSignatureSpace(SigningError):
    code = "no_signature_space"
    message_th = "หนังสือไม่มีช่องลงนามสำหรับผู้ลงนามทุกคน"
    message_en = "The letter has no signature space for every signer"


class PinRequired(SigningError):
    code = "pin_required"
    message_th = "โปรดกรอกรหัส PIN หรือรหัสผ่านของกุญแจลงนาม"
    message_en = "Enter the PIN or password of the signing key"


class NoSignerKey(KeyMissing):
    code = "no_signer_key"
    message_th = "ยังไม่ได้ตั้งค่ากุญแจลงนาม (ใบรับรองอิเล็กทรอนิกส์) ของผู้ลงนาม โปรดติดต่อผู้ดูแลระบบ"
    message_en = "No signing key (certificate) is configured for the signer; ask the administrator"


class NoSealKey(KeyMissing):
    code = "no_seal_key"
    message_th = "ยังไม่ได้ตั้งค่ากุญแจตราชื่อส่วนราชการ โปรดติดต่อผู้ดูแลระบบ"
    message_en = "No agency seal key is configured; ask the administrator"


class SignedButInvalid(SigningError):
    code = "signed_but_invalid"
    status = 500
    message_th = "ลงนามแล้วแต่ตรวจสอบลายมือชื่อไม่ผ่าน จึงไม่บันทึกหนังสือ"
    message_en = "The signed letter did not pass validation, so it was not kept"
