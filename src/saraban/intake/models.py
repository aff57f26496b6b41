"""Items that arrived and await registration: uploads, the central mailbox, other agencies' systems."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saraban.kernel.models import Secrecy, Urgency, UUIDModel
from saraban.letters.models import FilePart, Letter
from saraban.orgs.models import Agency, Unit


class Channel(models.TextChoices):
    UPLOAD = "upload", "อัปโหลด"
    SCAN = "scan", "สแกนจากกระดาษ"
    EMAIL = "email", "ไปรษณีย์อิเล็กทรอนิกส์กลาง"
    SBX = "sbx", "ระบบสารบรรณของหน่วยงานอื่น (SBX)"
    ECMS = "ecms", "e-CMS"


class IntakeStatus(models.TextChoices):
    PENDING = "pending", "รอลงทะเบียน"
    REGISTERED = "registered", "ลงทะเบียนแล้ว"
    REJECTED = "rejected", "ปฏิเสธ/ส่งคืน"


class IntakeItem(UUIDModel):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="intake")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="intake", help_text="unit that registers it")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField(db_index=True)
    subject = models.CharField(max_length=1000, blank=True)
    urgency = models.CharField(max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    urgency_rank = models.SmallIntegerField(default=3, help_text="0 = most urgent, for ordering")
    secrecy = models.CharField(max_length=16, choices=Secrecy.choices, default=Secrecy.NORMAL)
    metadata = models.JSONField(default=dict, help_text="proposed registration fields")
    defects = models.TextField(blank=True, help_text="defects or missing enclosures noted by the opener")
    status = models.CharField(max_length=16, choices=IntakeStatus.choices, default=IntakeStatus.PENDING)
    status_reason = models.CharField(max_length=1000, blank=True)
    letter = models.ForeignKey(Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_ref = models.CharField(max_length=255, blank=True, help_text="message id at the source channel")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["urgency_rank", "received_at"]
        indexes = [models.Index(fields=["unit", "status", "urgency_rank", "received_at"])]


class IntakeFile(UUIDModel, FilePart):
    """A file of a queued item: the letter (``role`` letter, first) or one of its enclosures, in ``order``."""

    item = models.ForeignKey(IntakeItem, on_delete=models.CASCADE, related_name="files")
    pages = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["item", "order"]
