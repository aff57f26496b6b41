"""The records app's coded errors (Thai and English); each refusal changes nothing."""

from __future__ import annotations

from saraban.kernel.errors import Conflict, InvalidInput, NotFound, PermissionDenied, SarabanError

__all__ = ["Conflict", "InvalidInput", "NotFound", "PermissionDenied", "SarabanError"]


class LoanNotFound(NotFound):
    code = "loan_not_found"
    message_th = "ไม่พบรายการยืมหนังสือ"
    message_en = "Loan not found"


class LetterNotFound(NotFound):
    code = "letter_not_found"
    message_th = "ไม่พบหนังสือ"
    message_en = "Letter not found"


class NotAllowedToLend(PermissionDenied):
    code = "loan_not_allowed"
    message_th = "ท่านไม่มีสิทธิ์ให้ยืมหนังสือฉบับนี้"
    message_en = "You may not lend this letter"


class ApprovalRequired(PermissionDenied):
    code = "loan_approval_required"
    message_th = ("การให้ส่วนราชการอื่นหรือบุคคลภายนอกยืม ดู หรือคัดสำเนาหนังสือ "
                  "ต้องได้รับอนุญาตจากหัวหน้าส่วนราชการระดับกองขึ้นไป")
    message_en = ("Lending to another agency or an outsider needs the recorded approval of a division head "
                  "or higher")


class ApproverNotQualified(PermissionDenied):
    code = "loan_approver_not_division_head"
    message_th = "ผู้อนุมัติต้องเป็นหัวหน้าส่วนราชการระดับกองขึ้นไปของส่วนราชการผู้ให้ยืม"
    message_en = "The approver must be a division head or higher of the lending agency"


class BorrowerNotCleared(PermissionDenied):
    code = "loan_borrower_not_cleared"
    message_th = "ผู้ยืมไม่ได้รับอนุญาตให้เข้าถึงชั้นความลับของหนังสือฉบับนี้"
    message_en = "The borrower is not cleared for this letter's secrecy class"


class BadLoanDates(InvalidInput):
    code = "loan_bad_dates"
    message_th = "กำหนดส่งคืนต้องอยู่หลังวันยืม"
    message_en = "The due date must come after the loan date"


class ElectronicNeedsPerson(InvalidInput):
    code = "loan_needs_borrower_account"
    message_th = "การยืมฉบับอิเล็กทรอนิกส์ต้องระบุผู้ยืมที่มีบัญชีในระบบ"
    message_en = "An electronic loan needs a borrower with an account in the system"


class LoanAlreadyReturned(Conflict):
    code = "loan_already_returned"
    message_th = "หนังสือที่ยืมนี้ส่งคืนแล้ว"
    message_en = "This loan was already returned"


class OutsideLetter(InvalidInput):
    code = "letter_outside_system"
    message_th = "หนังสือชั้นลับที่สุดดำเนินการนอกระบบ ไม่มีเนื้อหาในระบบให้ยืมหรือปรับชั้น"
    message_en = "A top secret letter is handled outside the system: nothing here to lend or re-grade"


class NotAllowedToRegrade(PermissionDenied):
    code = "regrade_not_allowed"
    message_th = "ท่านไม่มีสิทธิ์ปรับชั้นความลับของหนังสือฉบับนี้"
    message_en = "You may not re-grade this letter"


class TopSecretRegradeRefused(InvalidInput):
    code = "regrade_top_secret_refused"
    message_th = ("หนังสือชั้นลับที่สุดต้องไม่อยู่ในระบบสารบรรณอิเล็กทรอนิกส์ "
                  "ให้นำออกไปดำเนินการนอกระบบแทนการปรับชั้นเป็นลับที่สุด")
    message_en = ("Top secret letters must not be kept in the e-saraban system: take the letter out of the "
                  "system instead of raising it to top secret")


class SameGrade(InvalidInput):
    code = "regrade_same_class"
    message_th = "ชั้นความลับใหม่เหมือนชั้นเดิม"
    message_en = "The new class is the same as the current one"


class ReasonRequired(InvalidInput):
    code = "reason_required"
    message_th = "ต้องระบุเหตุผล"
    message_en = "A reason is required"
