"""What each audit action is called, in Thai and English (timelines, reports)."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "registry.register_incoming": ("ลงทะเบียนรับ", "Registered (incoming)"),
    "registry.issue_outgoing": ("ออกเลขหนังสือส่ง", "Outgoing number issued"),
    "registry.cancel": ("ยกเลิกเลขทะเบียน", "Registration cancelled"),
    "registry.record_placeholder": ("บันทึกหนังสือลับที่สุด (ดำเนินการนอกระบบ)", "Top secret placeholder recorded"),
    "registry.set_floor": ("ตั้งเลขเริ่มต้นของทะเบียน (ต่อจากทะเบียนกระดาษ)", "Register floor set"),
    "letter.derive_file": ("สร้างฉบับแสดงผล", "Derived copy made"),
    "letter.read_classified": ("เปิดอ่านหนังสือชั้นความลับ", "Classified file read"),
    "intake.submit": ("รับเข้าคิวรอลงทะเบียน", "Received into the queue"),
    "intake.reject": ("ส่งคืนโดยไม่ลงทะเบียน", "Returned without registering"),
}


def label(action: str, lang: str = "th") -> str:
    th, en = LABELS.get(action, (action, action))
    return en if lang == "en" else th
