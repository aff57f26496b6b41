"""Errors of the drafting flow: a stable code and a message in Thai and English.

Errors of the letter itself (empty subject, missing fields, ลับที่สุด, too many pages, a failed
render) belong to typesetting: :mod:`saraban.letterpress.errors`.
"""

from __future__ import annotations

from saraban.kernel.errors import Conflict, InvalidInput, NotFound, PermissionDenied


class DraftingError(InvalidInput):
    """A draft that cannot go forward as given."""

    code = "drafting_error"
    message_th = "ร่างหนังสือไม่ถูกต้อง"
    message_en = "The draft letter is not valid"


class StampedPurposeRefused(DraftingError):
    code = "stamped_purpose_refused"
    message_th = "หนังสือประทับตราใช้ได้เฉพาะเรื่องที่ไม่สำคัญตามข้อ 13 และห้ามใช้ในเรื่องเกี่ยวกับการเงิน"
    message_en = "A stamped letter may only be used for the minor matters of article 13, never for money matters"


# --- the drafting flow ----------------------------------------------------------------------------

class DraftNotFound(NotFound):
    code = "draft_not_found"
    message_th = "ไม่พบร่างหนังสือ หรือท่านไม่มีสิทธิ์เข้าถึง"
    message_en = "Draft not found, or you may not see it"


class DraftNotAllowed(PermissionDenied):
    code = "draft_not_allowed"


class NoPerson(PermissionDenied):
    code = "no_person"
    message_th = "บัญชีผู้ใช้นี้ไม่ได้ผูกกับบุคลากรในหน่วยงาน จึงร่างหรือพิจารณาหนังสือไม่ได้"
    message_en = "This account is not linked to a person of an agency, so it cannot draft or review letters"


class StaleVersion(Conflict):
    code = "stale_version"
    message_th = "ร่างนี้ถูกแก้ไขโดยผู้อื่นแล้ว โปรดเปิดฉบับล่าสุดแล้วแก้ไขอีกครั้ง"
    message_en = "Someone else changed this draft meanwhile; open the latest version and edit again"


class WrongState(Conflict):
    code = "draft_wrong_state"
    message_th = "ร่างหนังสืออยู่ในสถานะที่ทำรายการนี้ไม่ได้"
    message_en = "The draft is not in a state that allows this"


class AlreadySigned(WrongState):
    code = "already_signed"
    message_th = "หนังสือฉบับนี้ลงนามแล้ว"
    message_en = "This letter is already signed"


class PeopleInvalid(DraftingError):
    code = "people_invalid"
    message_th = "รายชื่อผู้ตรวจหรือผู้ลงนามไม่ถูกต้อง"
    message_en = "The reviewers or signers are not valid"


class CommentRequired(DraftingError):
    code = "comment_required"
    message_th = "โปรดระบุเหตุผลหรือข้อแก้ไขเมื่อส่งกลับ"
    message_en = "Say why, or what to change, when returning a draft"
