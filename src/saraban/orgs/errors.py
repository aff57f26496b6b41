"""Errors of the organisation settings: emblems, delegations, who may change them."""

from __future__ import annotations

from saraban.kernel.errors import Conflict, InvalidInput, PermissionDenied


class EmblemMissing(Conflict):
    code = "emblem_missing"
    message_th = ("ยังไม่ได้กำหนดตราครุฑของส่วนราชการ จึงออกหนังสือจริงไม่ได้ "
                  "โปรดให้ผู้ดูแลระบบอัปโหลดไฟล์ตราครุฑ (SVG หรือ PNG) ที่หน้าตั้งค่าตราของส่วนราชการ")
    message_en = ("No Garuda emblem is configured for this agency, so no real letter can be issued; "
                  "an administrator uploads the Garuda (SVG or PNG) on the agency's emblem settings page")


class NotAgencyAdmin(PermissionDenied):
    code = "not_agency_admin"
    message_th = "เฉพาะผู้ดูแลระบบของส่วนราชการนี้เท่านั้นที่เปลี่ยนการตั้งค่านี้ได้"
    message_en = "Only an administrator of this agency may change this setting"


class DelegationInvalid(InvalidInput):
    code = "delegation_invalid"
    message_th = "การมอบอำนาจไม่ถูกต้อง"
    message_en = "The delegation is not valid"


class DelegationNotInForce(Conflict):
    code = "delegation_not_in_force"
    message_th = "คำสั่งมอบอำนาจไม่มีผลในวันที่ลงนาม จึงลงนามปฏิบัติราชการแทนไม่ได้"
    message_en = "The delegating order is not in force on the signing date, so no one may sign under it"


class DelegationOutOfScope(Conflict):
    code = "delegation_out_of_scope"
    message_th = "หนังสือชนิดนี้อยู่นอกขอบเขตของคำสั่งมอบอำนาจ"
    message_en = "This kind of letter is outside the scope of the delegating order"


class DelegationNotYours(Conflict):
    code = "delegation_not_yours"
    message_th = "คำสั่งมอบอำนาจนี้มิได้มอบให้ผู้ลงนามผู้นี้"
    message_en = "This delegating order does not delegate to this signer"
