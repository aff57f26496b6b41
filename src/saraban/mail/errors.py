"""The mail gateway's errors (Thai and English, with a stable code)."""

from __future__ import annotations

from saraban.kernel.errors import Conflict, InvalidInput, PermissionDenied


class MailClosed(Conflict):
    code = "mail_closed"
    message_th = "อีเมลนี้ดำเนินการไปแล้ว"
    message_en = "This mail was already dealt with"


class NotMailOfficer(PermissionDenied):
    code = "mail_not_allowed"
    message_th = "ท่านไม่มีสิทธิ์ดูแลไปรษณีย์อิเล็กทรอนิกส์กลางของหน่วยงานนี้"
    message_en = "You may not handle this agency's central mailbox"


class BadAccount(InvalidInput):
    code = "mail_account_invalid"
    message_th = "ตั้งค่ากล่องจดหมายไม่ถูกต้อง"
    message_en = "The mailbox settings are not valid"


class ClassifiedByMail(Conflict):
    code = "classified_by_email"
    message_th = "หนังสือชั้นลับหรือลับมากส่งทางไปรษณีย์อิเล็กทรอนิกส์ธรรมดาไม่ได้ ให้ส่งทางระบบที่เข้ารหัส"
    message_en = "ลับ/ลับมาก (classified) letters never travel by plain e-mail; send them by the encrypted exchange"


class NoEmailAddress(InvalidInput):
    code = "no_email_address"
    message_th = "ผู้รับไม่มีที่อยู่ไปรษณีย์อิเล็กทรอนิกส์กลาง"
    message_en = "The recipient has no central e-mail address"


class NotRegisteredYet(Conflict):
    code = "mail_not_registered"
    message_th = "ยังไม่ได้ลงทะเบียนรับ จึงยังไม่มีเลขรับที่จะแจ้งกลับ"
    message_en = "Not registered yet: there is no receipt number to reply with"
