"""Why a letter is returned without registering: one coded list for every channel.

The codes travel back to the sender in SBX ``rejected``/``invalid`` signals (the e-CMS notifiers carry none;
MEDO's refusal list inspired these); the desk offers the same list.
"""

from __future__ import annotations

RETURN_REASONS: dict[str, tuple[str, str]] = {
    "NOT_ADDRESSEE": ("ไม่ใช่หน่วยงานผู้รับ (ส่งผิดหน่วยงาน)", "Not the addressee"),
    "INCOMPLETE": ("หนังสือหรือสิ่งที่ส่งมาด้วยไม่ครบถ้วน", "Letter or enclosures incomplete"),
    "UNREADABLE": ("เปิดอ่านไฟล์ไม่ได้", "File unreadable"),
    "SIGNATURE_INVALID": ("ลายมือชื่อดิจิทัลไม่ถูกต้อง", "Signature invalid"),
    "CLASSIFICATION_NOT_ACCEPTED": ("ไม่รับหนังสือชั้นความลับนี้ทางระบบ", "Classification not accepted"),
    "DUPLICATE": ("ได้รับหนังสือฉบับนี้แล้ว (เช่น ฉบับกระดาษ)", "Already received (e.g. on paper)"),
    "CONTENT_ERROR": ("เนื้อหาหนังสือผิดพลาด", "Error in the letter's content"),
    "OTHER": ("เหตุผลอื่น", "Other reason"),
}
