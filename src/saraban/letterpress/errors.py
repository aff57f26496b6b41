"""Errors of letter typesetting: a letter that cannot be set as given, or a render that failed.

Each has a stable code and a message in Thai and English; the codes are those the drafting API has
always answered with (``drafting_error``, ``subject_empty``, ``missing_field``, …).
"""

from __future__ import annotations

from typing import Any

from saraban.kernel.errors import InvalidInput, SarabanError


class LetterpressError(InvalidInput):
    """A letter that cannot be drafted or rendered as given."""

    code = "drafting_error"
    message_th = "ร่างหนังสือไม่ถูกต้อง"
    message_en = "The draft letter is not valid"


class MissingField(LetterpressError):
    code = "missing_field"

    def __init__(self, field: str, label_th: str, label_en: str) -> None:
        super().__init__(
            f"ยังไม่ได้กรอก{label_th}",
            f"The {label_en} is missing",
            details={"field": field},
        )


class EmptySubject(MissingField):
    code = "subject_empty"

    def __init__(self) -> None:
        super().__init__("subject", "เรื่อง", "subject")


class TopSecretRefused(LetterpressError):
    code = "top_secret_refused"
    message_th = "หนังสือชั้นลับที่สุดต้องดำเนินการนอกระบบ ไม่สามารถจัดทำในระบบสารบรรณอิเล็กทรอนิกส์ได้"
    message_en = "Top secret letters must be handled outside the e-saraban system"


class TooManyPages(LetterpressError):
    code = "too_many_pages"

    def __init__(self, pages: int, allowed: int) -> None:
        super().__init__(
            f"หนังสือยาว {pages} หน้า เกินจำนวนที่กำหนด {allowed} หน้า",
            f"The letter runs to {pages} pages, more than the {allowed} allowed",
            details={"pages": pages, "allowed": allowed},
        )


class RenderFailed(SarabanError):
    code = "render_failed"
    status = 500
    message_th = "ไม่สามารถสร้างไฟล์ PDF ของหนังสือได้"
    message_en = "The letter could not be rendered to PDF"

    def __init__(self, reason: str, **details: Any) -> None:
        super().__init__(details={"reason": reason, **details})
