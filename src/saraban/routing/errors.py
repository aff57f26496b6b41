"""Routing errors: a stable code, Thai and English messages, the HTTP status the API answers with."""

from __future__ import annotations

from saraban.kernel.errors import Conflict, InvalidInput, NotFound, PermissionDenied


class StepNotFound(NotFound):
    code = "step_not_found"
    message_th = "ไม่พบรายการส่งต่อนี้ในหนังสือฉบับนี้"
    message_en = "No such routing step on this letter"


class NotRecipient(PermissionDenied):
    code = "not_recipient"
    message_th = "ท่านไม่ใช่ผู้รับของรายการนี้"
    message_en = "You are not the recipient of this step"


class NotAllowed(PermissionDenied):
    code = "routing_not_allowed"


class LetterCancelled(Conflict):
    code = "letter_cancelled"
    message_th = "หนังสือนี้ถูกยกเลิกแล้ว ดำเนินการต่อไม่ได้"
    message_en = "This letter has been cancelled; it cannot be acted on"


class WrongState(Conflict):
    code = "wrong_state"
    message_th = "สถานะของรายการไม่อนุญาตให้ดำเนินการนี้"
    message_en = "The step's state does not allow this"


class AlreadyOpened(Conflict):
    code = "already_opened"
    message_th = "ผู้รับเปิดอ่านแล้ว เรียกคืนไม่ได้ (ผู้รับส่งคืนพร้อมเหตุผลได้)"
    message_en = "The recipient has already opened it; it can no longer be recalled (they may return it)"


class AlreadyAssigned(Conflict):
    code = "already_assigned"
    message_th = "มอบหมายหนังสือนี้ให้ผู้นี้แล้ว และยังไม่เสร็จ"
    message_en = "This letter is already assigned to this person and still open"


class NoTarget(InvalidInput):
    code = "no_target"
    message_th = "ต้องระบุผู้รับอย่างน้อยหนึ่งราย"
    message_en = "Name at least one recipient"


class UnknownTarget(InvalidInput):
    code = "unknown_target"
    message_th = "ไม่พบหน่วยงาน ตำแหน่ง หรือบุคคลที่ระบุ"
    message_en = "Unknown unit, position or person"


class NobodyInPosition(InvalidInput):
    code = "position_vacant"
    message_th = "ไม่มีผู้ดำรงตำแหน่งหรือผู้รักษาการในตำแหน่งนี้ในวันนี้"
    message_en = "Nobody holds or acts in this position today"


class RecipientNotCleared(PermissionDenied):
    code = "recipient_not_cleared"
    message_th = "ผู้รับไม่มีสิทธิ์เข้าถึงหนังสือชั้นความลับระดับนี้"
    message_en = "The recipient is not cleared for this secrecy level"


class ClassifiedToUnit(InvalidInput):
    code = "classified_to_unit"
    message_th = "หนังสือชั้นความลับต้องส่งถึงตัวบุคคลหรือตำแหน่ง ไม่ส่งถึงทั้งหน่วยงาน"
    message_en = "Classified letters go to a person or position, not to a whole unit"


class ReasonRequired(InvalidInput):
    code = "reason_required"
    message_th = "ต้องระบุเหตุผล"
    message_en = "A reason is required"


class EmptyText(InvalidInput):
    code = "empty_text"
    message_th = "ต้องระบุข้อความ"
    message_en = "Text is required"


class IdentityNotVerified(PermissionDenied):
    code = "identity_not_verified"
    message_th = "ยังไม่ได้ยืนยันตัวตน จึงใช้ชื่อพิมพ์แทนลายมือชื่อในการเกษียนไม่ได้ (ระเบียบฯ ฉบับที่ 4)"
    message_en = "Your identity is not verified, so a typed name cannot stand for your signature (Regulation No. 4)"


class InvalidDue(InvalidInput):
    code = "invalid_due"
    message_th = "กำหนดเสร็จไม่ถูกต้อง"
    message_en = "Invalid due date"


class HolidayExists(Conflict):
    code = "holiday_exists"
    message_th = "มีวันหยุดในวันนี้แล้ว"
    message_en = "There is already a holiday on this day"


class AlreadyRegistered(Conflict):
    code = "already_registered_here"
    message_th = "หน่วยงานนี้ลงทะเบียนรับหนังสือฉบับนี้แล้ว"
    message_en = "This unit has already registered this letter"


class NotRoutedHere(PermissionDenied):
    code = "not_routed_here"
    message_th = "หนังสือนี้ไม่ได้ส่งถึงหน่วยงานนี้"
    message_en = "This letter was not sent to this unit"


class DigestNotDue(Conflict):
    code = "digest_not_due"
    message_th = "ยังไม่ถึงเวลาส่งสรุปประจำวัน"
    message_en = "The daily digest is not due"


class LineNotLinked(InvalidInput):
    code = "line_not_linked"
    message_th = ("ยังไม่ได้เชื่อมต่อบัญชี LINE: กด \"เชื่อมต่อ LINE\" แล้วส่งรหัสที่ได้ให้บัญชีทางการ LINE ของหน่วยงาน "
                  "(พิมพ์ LINE user ID เองไม่ได้)")
    message_en = ("No LINE account is linked: choose \"Link LINE\" and send the code to the agency's LINE Official "
                  "Account (a LINE user ID cannot be typed in)")


class LineCodeInvalid(InvalidInput):
    code = "line_code_invalid"
    message_th = "รหัสเชื่อมต่อ LINE ไม่ถูกต้อง หมดอายุ หรือใช้ไปแล้ว"
    message_en = "The LINE link code is wrong, expired or already used"


class OtherAgency(InvalidInput):
    code = "other_agency"
    message_th = ("ส่งต่อหรือมอบหมายได้เฉพาะภายในส่วนราชการเดียวกัน หนังสือถึงส่วนราชการอื่นต้องส่งทางระบบ (SBX) "
                  "หรืออีเมล ซึ่งออกเลขและบันทึกการส่ง")
    message_en = ("Distribution and assignment stay inside the agency; another agency is reached only by dispatch "
                  "(SBX or e-mail), which numbers and records the letter")
