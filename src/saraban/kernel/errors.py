"""Domain errors with a stable code and a message in Thai and English.

Every app raises subclasses of :class:`SarabanError`; transports (API, UI, CLI) turn them into responses
without knowing the domain.  ``status`` is the HTTP status the API answers with.
"""

from __future__ import annotations

from typing import Any


class SarabanError(Exception):
    code: str = "error"
    status: int = 400
    message_th: str = "เกิดข้อผิดพลาด"
    message_en: str = "An error occurred"

    def __init__(
        self,
        message_th: str | None = None,
        message_en: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        if message_th is not None:
            self.message_th = message_th
        if message_en is not None:
            self.message_en = message_en
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.details = details or {}
        super().__init__(f"[{self.code}] {self.message_en}")

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "code": self.code,
            "message": self.message_th,
            "message_th": self.message_th,
            "message_en": self.message_en,
        }
        if self.details:
            body["details"] = self.details
        return body


class InvalidInput(SarabanError):
    code = "invalid_input"
    status = 422
    message_th = "ข้อมูลไม่ถูกต้อง"
    message_en = "Invalid input"


class NotFound(SarabanError):
    code = "not_found"
    status = 404
    message_th = "ไม่พบข้อมูล"
    message_en = "Not found"


class PermissionDenied(SarabanError):
    code = "permission_denied"
    status = 403
    message_th = "ท่านไม่มีสิทธิ์ดำเนินการนี้"
    message_en = "You are not allowed to do this"


class Conflict(SarabanError):
    code = "conflict"
    status = 409
    message_th = "ข้อมูลขัดแย้งกับที่มีอยู่"
    message_en = "Conflicts with existing data"
