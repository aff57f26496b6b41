"""Shared model helpers: UUIDv7 primary keys and the value sets every app speaks."""

from __future__ import annotations

from django.db import models

from .ids import uuid7


class UUIDModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)

    class Meta:
        abstract = True


class Urgency(models.TextChoices):
    NORMAL = "normal", "ปกติ"
    URGENT = "urgent", "ด่วน"
    VERY_URGENT = "very_urgent", "ด่วนมาก"
    MOST_URGENT = "most_urgent", "ด่วนที่สุด"


URGENCY_RANK = {Urgency.MOST_URGENT: 0, Urgency.VERY_URGENT: 1, Urgency.URGENT: 2, Urgency.NORMAL: 3}
URGENCY_EN = {"normal": "Normal", "urgent": "Urgent", "very_urgent": "Very urgent", "most_urgent": "Most urgent"}
ECMS_SPEED = {"normal": "001", "urgent": "002", "very_urgent": "003", "most_urgent": "004"}


class Secrecy(models.TextChoices):
    NORMAL = "normal", "ปกติ"
    CONFIDENTIAL = "confidential", "ลับ"
    SECRET = "secret", "ลับมาก"
    TOP_SECRET = "top_secret", "ลับที่สุด"


SECRECY_LEVEL = {Secrecy.NORMAL: 0, Secrecy.CONFIDENTIAL: 1, Secrecy.SECRET: 2, Secrecy.TOP_SECRET: 3}
SECRECY_EN = {"normal": "Unclassified", "confidential": "Confidential", "secret": "Secret", "top_secret": "Top secret"}
ECMS_SECRET = {"normal": "001", "confidential": "002", "secret": "003", "top_secret": "004"}


def secrecy_from_legacy(value: str) -> str:
    """Map legacy and Thai labels to a secrecy value; the abolished ``ปกปิด`` counts as ลับ (R48)."""
    table = {
        "ปกติ": Secrecy.NORMAL, "ปกปิด": Secrecy.CONFIDENTIAL, "ลับ": Secrecy.CONFIDENTIAL,
        "ลับมาก": Secrecy.SECRET, "ลับที่สุด": Secrecy.TOP_SECRET,
    }
    value = value.strip()
    if value in table:
        return str(table[value])
    if value in Secrecy.values:
        return value
    raise ValueError(f"unknown secrecy: {value!r}")


class LetterKind(models.TextChoices):
    EXTERNAL = "external", "หนังสือภายนอก"
    MEMO = "memo", "หนังสือภายใน"
    STAMPED = "stamped", "หนังสือประทับตรา"
    DIRECTIVE = "directive", "หนังสือสั่งการ"
    NOTICE = "notice", "หนังสือประชาสัมพันธ์"
    RECORD = "record", "หนังสือที่เจ้าหน้าที่ทำขึ้นหรือรับไว้เป็นหลักฐานในราชการ"


KIND_EN = {
    "external": "External letter", "memo": "Memo", "stamped": "Stamped letter",
    "directive": "Directive", "notice": "Public notice", "record": "Record",
}
