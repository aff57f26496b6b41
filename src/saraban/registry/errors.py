from __future__ import annotations

from saraban.kernel.errors import Conflict, InvalidInput, NotFound, PermissionDenied, SarabanError

__all__ = ["Conflict", "InvalidInput", "NotFound", "PermissionDenied", "SarabanError"]


class TopSecretRefused(SarabanError):
    code = "top_secret_refused"
    status = 422
    message_th = ("หนังสือชั้นลับที่สุดต้องไม่นำเข้าระบบสารบรรณอิเล็กทรอนิกส์ "
                  "ให้บันทึกเพียงรายการว่าดำเนินการนอกระบบ")
    message_en = ("Top secret (ลับที่สุด) letters must not enter the e-saraban system; "
                  "record only a placeholder entry handled outside the system")


class LikelyDuplicate(Conflict):
    code = "likely_duplicate"
    message_th = "หนังสือนี้อาจลงทะเบียนไว้แล้ว"
    message_en = "This letter looks already registered"


class FutureDate(InvalidInput):
    code = "future_date"
    message_th = "ลงวันที่ของหนังสือเป็นวันในอนาคต"
    message_en = "The letter's date is in the future"


class UnknownUnit(InvalidInput):
    code = "unknown_unit"
    message_th = "ไม่พบหน่วยงานที่ระบุ"
    message_en = "Unknown unit"


class NoNumberingUnit(InvalidInput):
    code = "no_numbering_unit"
    message_th = "หน่วยงานนี้ไม่มีสิทธิ์ออกเลขหนังสือส่ง และไม่มีหน่วยงานต้นสังกัดที่ออกเลขได้"
    message_en = "This unit cannot issue outgoing numbers and has no parent that can"


class NotAllowed(PermissionDenied):
    pass


class EntryNotFound(NotFound):
    code = "registration_not_found"
    message_th = "ไม่พบรายการทะเบียน"
    message_en = "Registration not found"


class AlreadyCancelled(Conflict):
    code = "already_cancelled"
    message_th = "รายการนี้ถูกยกเลิกไปแล้ว"
    message_en = "This registration is already cancelled"


class BookMismatch(InvalidInput):
    code = "book_mismatch"
    message_th = "ทะเบียนที่เลือกไม่ตรงกับชั้นความลับของหนังสือ"
    message_en = "The chosen register does not match the letter's secrecy"
