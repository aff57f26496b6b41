"""Search's errors: a stable code and a message in Thai and English."""

from __future__ import annotations

from saraban.kernel.errors import InvalidInput, NotFound, SarabanError


class QueryInvalid(InvalidInput):
    code = "search_query_invalid"
    message_th = "คำค้นหาหรือตัวกรองไม่ถูกต้อง"
    message_en = "The search query or a filter is invalid"


class SavedSearchInvalid(InvalidInput):
    code = "saved_search_invalid"
    message_th = "ชื่อการค้นหาที่บันทึกต้องมี 1–100 ตัวอักษร"
    message_en = "A saved search needs a name of 1–100 characters"


class SavedSearchNotFound(NotFound):
    code = "saved_search_not_found"
    message_th = "ไม่พบการค้นหาที่บันทึกไว้"
    message_en = "Saved search not found"


class OcrNotPossible(SarabanError):
    code = "ocr_not_possible"
    status = 409
    message_th = "อ่านข้อความไฟล์นี้ด้วย OCR ไม่ได้ (หนังสือลับ หรือไม่ใช่ต้นฉบับ/สิ่งที่ส่งมาด้วย)"
    message_en = "This file cannot be OCRed (a classified letter, or not an original or enclosure)"
