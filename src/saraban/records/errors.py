"""Coded refusals of the records app (Thai first, English complete)."""

from __future__ import annotations

from saraban.kernel.errors import Conflict, InvalidInput, NotFound, PermissionDenied, SarabanError

__all__ = ["Conflict", "InvalidInput", "NotFound", "PermissionDenied", "SarabanError"]


class ForeignFileCode(PermissionDenied):
    code = "foreign_file_code"
    message_th = "รหัสแฟ้มนี้เป็นของส่วนราชการอื่น ไม่สามารถเก็บหนังสือภายใต้รหัสแฟ้มนี้ได้"
    message_en = "This file code belongs to another agency; a letter cannot be filed under it"


class RetentionShortened(InvalidInput):
    code = "retention_shortened"
    message_th = "อายุการเก็บสั้นกว่าที่ระเบียบหรือแผนแฟ้มกำหนด ต้องมีการอนุมัติที่บันทึกไว้ (ข้อ 57)"
    message_en = "The retention period is shorter than the minimum; a recorded authorisation is required (ข้อ 57)"


class AlreadyFiled(Conflict):
    code = "already_filed"
    message_th = "หนังสือนี้จัดเก็บเข้าแฟ้มแล้ว"
    message_en = "This letter is already filed"


class NotCompleted(InvalidInput):
    code = "not_completed"
    message_th = "หนังสือนี้ยังไม่เสร็จสิ้นการปฏิบัติ จึงยังจัดเก็บไม่ได้"
    message_en = "This letter's work is not completed; it cannot be filed yet"


class BadFilePlan(InvalidInput):
    code = "bad_file_plan"
    message_th = "แผนแฟ้มไม่ถูกต้อง"
    message_en = "The file plan is not valid"


class YearNotEnded(InvalidInput):
    code = "year_not_ended"
    message_th = "ปีนี้ยังไม่สิ้นปีปฏิทิน จึงยังจัดทำบัญชีหนังสือขอทำลายของปีนี้ไม่ได้"
    message_en = "The calendar year has not ended; its destruction list cannot be made yet"


class NothingDue(InvalidInput):
    code = "nothing_due"
    message_th = "ไม่มีหนังสือที่ครบกำหนดอายุการเก็บในปีนี้"
    message_en = "No letters' retention ended in this year"


class CommitteeTooSmall(InvalidInput):
    code = "committee_too_small"
    message_th = "คณะกรรมการทำลายหนังสือต้องมีประธานกรรมการและกรรมการอย่างน้อย 2 คน (ข้อ 67)"
    message_en = "The destruction committee needs a chair and at least 2 members (ข้อ 67)"


class CommitteeIneligible(InvalidInput):
    code = "committee_ineligible"
    message_th = "กรรมการต้องเป็นบุคลากรของส่วนราชการนี้ที่มีบัญชีผู้ใช้ และไม่ซ้ำกัน"
    message_en = "Committee members must be distinct people of this agency with user accounts"


class NotHead(PermissionDenied):
    code = "not_head"
    message_th = "เฉพาะหัวหน้าส่วนราชการเท่านั้นที่ดำเนินการนี้ได้"
    message_en = "Only the head of the agency may do this"


class NotCommitteeMember(PermissionDenied):
    code = "not_committee_member"
    message_th = "ท่านไม่ได้เป็นกรรมการทำลายหนังสือของบัญชีนี้"
    message_en = "You are not on this list's destruction committee"


class WrongStep(Conflict):
    code = "wrong_step"
    message_th = "ยังดำเนินการขั้นนี้ไม่ได้ ต้องทำขั้นก่อนหน้าให้ครบก่อน"
    message_en = "This step cannot be taken yet; the earlier steps must be completed first"


class Undecided(Conflict):
    code = "undecided"
    message_th = "คณะกรรมการยังพิจารณาไม่ครบทุกรายการ"
    message_en = "The committee has not decided every item"


class NoConsentYet(Conflict):
    code = "no_consent_yet"
    message_th = "ยังไม่ได้รับความเห็นชอบจากกรมศิลปากร และยังไม่ครบ 60 วันนับแต่วันส่งบัญชี จึงยังทำลายไม่ได้"
    message_en = ("The Fine Arts Department has not agreed and 60 days since sending have not passed; "
                  "nothing can be destroyed yet")
