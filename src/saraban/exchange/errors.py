"""Coded errors: the SBX wire errors of exchange.md §5.8 (each says whether to retry) and dispatch errors."""

from __future__ import annotations

from typing import Any

from saraban.kernel.errors import SarabanError


class SbxError(SarabanError):
    """An error on the wire (``application/problem+json``); ``retry`` tells the sender whether to try again."""

    code = "SBX_ERROR"
    status = 400
    retry = False

    def problem(self, message_id: str = "") -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"https://saraban.example/sbx/errors/{self.code.lower().replace('_', '-')}",
            "title": self.message_en,
            "status": self.status,
            "code": self.code,
            "retry": self.retry,
            "detail": f"{self.message_th} / {self.message_en}",
            "detail_th": self.message_th,
            "detail_en": self.message_en,
        }
        if message_id:
            body["message_id"] = message_id
        if self.details:
            body["details"] = self.details
        return body


class EnvelopeInvalid(SbxError):
    code = "ENVELOPE_INVALID"
    status = 400
    message_th = "ซองข้อความไม่ถูกต้อง"
    message_en = "The envelope is invalid"


class PackageInvalid(SbxError):
    code = "PACKAGE_INVALID"
    status = 400
    message_th = "ชุดเอกสารไม่ถูกต้องหรือไม่ตรงกับซอง"
    message_en = "The package is invalid or does not match the envelope"


class UnsupportedVersion(SbxError):
    code = "UNSUPPORTED_VERSION"
    status = 400
    message_th = "ไม่รองรับรุ่นของโพรโทคอลนี้"
    message_en = "Unsupported protocol version"


class SenderNotAuthenticated(SbxError):
    code = "SENDER_NOT_AUTHENTICATED"
    status = 401
    message_th = "ไม่สามารถยืนยันตัวตนของผู้ส่งได้ (ต้องใช้ใบรับรอง TLS ของผู้ส่งที่อยู่ในสมุดรายชื่อ)"
    message_en = "The sender is not authenticated (a TLS client certificate listed in the directory is required)"


class SignatureInvalid(SbxError):
    code = "SIGNATURE_INVALID"
    status = 403
    message_th = "ลายมือชื่อดิจิทัลบนซองไม่ถูกต้อง หรือไม่ใช่ตราของผู้ส่งตามสมุดรายชื่อ"
    message_en = "The envelope signature is invalid or not by a seal of the sender listed in the directory"


class SenderMismatch(SbxError):
    code = "SENDER_MISMATCH"
    status = 403
    message_th = "ใบรับรอง TLS ของผู้ส่งไม่ตรงกับผู้ส่งที่ระบุในซองตามสมุดรายชื่อ"
    message_en = "The TLS client certificate does not match the sender named in the envelope"


class UnknownRecipient(SbxError):
    code = "UNKNOWN_RECIPIENT"
    status = 404
    message_th = "ไม่มีผู้รับนี้ที่ระบบนี้"
    message_en = "The recipient is not served here"


class MessageConflict(SbxError):
    code = "CONFLICT"
    status = 409
    message_th = "ข้อความนี้เคยได้รับแล้วแต่เนื้อหาไม่ตรงกัน"
    message_en = "This message id was received before with other digests"


class SizeLimitExceeded(SbxError):
    code = "SIZE_LIMIT_EXCEEDED"
    status = 413
    message_th = "ข้อความมีขนาดเกินกำหนด"
    message_en = "The message is too large"


class ClassificationNotAccepted(SbxError):
    code = "CLASSIFICATION_NOT_ACCEPTED"
    status = 422
    message_th = "ไม่รับหนังสือชั้นความลับนี้ทางระบบ หรือไม่ได้เข้ารหัสถึงผู้รับ"
    message_en = "This classification is not accepted, or the payload is not encrypted to the recipient"


class Expired(SbxError):
    code = "EXPIRED"
    status = 422
    message_th = "ข้อความหมดอายุแล้ว"
    message_en = "The message has expired"


class NotFoundOnWire(SbxError):
    code = "NOT_FOUND"
    status = 404
    message_th = "ไม่พบข้อความ"
    message_en = "No such message"


class Unavailable(SbxError):
    """Something on our side is not ready (no directory, no keys): the sender should retry later."""

    code = "UNAVAILABLE"
    status = 503
    retry = True
    message_th = "ระบบปลายทางยังไม่พร้อมรับ"
    message_en = "The receiving system is not ready"


WIRE_ERRORS: dict[str, type[SbxError]] = {
    cls.code: cls for cls in (
        EnvelopeInvalid, PackageInvalid, UnsupportedVersion, SenderNotAuthenticated, SignatureInvalid,
        SenderMismatch, UnknownRecipient, MessageConflict, SizeLimitExceeded, ClassificationNotAccepted, Expired,
        NotFoundOnWire, Unavailable,
    )
}


# ---- errors of the product side (API, UI, CLI) -------------------------------------------------------

class ExchangeError(SarabanError):
    code = "exchange_error"
    status = 422


class NotConfigured(ExchangeError):
    code = "exchange_not_configured"
    status = 503
    message_th = "ระบบนี้ยังไม่ได้ตั้งค่าการรับส่งหนังสือระหว่างระบบ (SBX)"
    message_en = "Exchange (SBX) is not configured on this system"


class NotSendable(ExchangeError):
    code = "letter_not_sendable"
    message_th = "ส่งหนังสือนี้ทางระบบไม่ได้"
    message_en = "This letter cannot be sent electronically"


class TopSecretNeverSent(ExchangeError):
    code = "top_secret_not_sendable"
    message_th = "หนังสือชั้นลับที่สุดส่งทางระบบสารบรรณอิเล็กทรอนิกส์ไม่ได้"
    message_en = "Top secret letters are never sent through e-Saraban"


class UnknownParticipant(ExchangeError):
    code = "unknown_recipient"
    status = 422
    message_th = "ไม่พบหน่วยงานผู้รับในสมุดรายชื่อ"
    message_en = "The recipient is not in the directory"


class NotLinked(ExchangeError):
    code = "recipient_not_linked"
    status = 422
    message_th = "หน่วยงานผู้รับยังไม่เชื่อมโยงระบบ (ใช้ไปรษณีย์อิเล็กทรอนิกส์หรือกระดาษแทน)"
    message_en = "The recipient has no linked system (use e-mail or paper instead)"


class DirectoryInvalid(ExchangeError):
    code = "directory_invalid"
    status = 422
    message_th = "สมุดรายชื่อผู้เข้าร่วมไม่ถูกต้อง"
    message_en = "The participant directory is invalid"


class WrongState(ExchangeError):
    code = "dispatch_wrong_state"
    status = 409
    message_th = "สถานะของการส่งไม่อนุญาตให้ทำเช่นนี้"
    message_en = "The dispatch is not in a state that allows this"
