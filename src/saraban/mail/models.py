"""The central mailbox: its settings per agency, every message received (original kept), every e-mail sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saraban.kernel.models import UUIDModel
from saraban.orgs.models import Agency
from saraban.storage.models import Blob


class Inbound(models.TextChoices):
    SMTP = "smtp", "รับจากเครื่องแม่ข่ายอีเมลของหน่วยงาน (SMTP)"
    IMAP = "imap", "ดึงจากกล่องจดหมายเดิม (IMAP)"


class Security(models.TextChoices):
    TLS = "tls", "TLS ตั้งแต่เริ่มเชื่อมต่อ"
    STARTTLS = "starttls", "STARTTLS"
    NONE = "none", "ไม่เข้ารหัส (ทดสอบเท่านั้น)"


class MailAccount(UUIDModel):
    """An agency's central mailbox (ที่อยู่ไปรษณีย์อิเล็กทรอนิกส์กลาง): how mail comes in and goes out."""

    agency = models.OneToOneField(Agency, on_delete=models.PROTECT, related_name="mail_account")
    address = models.EmailField(help_text="the central address, e.g. saraban@agency.go.th")
    inbound = models.CharField(max_length=8, choices=Inbound.choices, default=Inbound.SMTP)
    enabled = models.BooleanField(default=True)
    max_bytes = models.BigIntegerField(default=0, help_text="largest mail accepted (0: the deployment's default)")
    imap_host = models.CharField(max_length=255, blank=True)
    imap_port = models.IntegerField(default=993)
    imap_security = models.CharField(max_length=8, choices=Security.choices, default=Security.TLS)
    imap_user = models.CharField(max_length=255, blank=True)
    imap_secret = models.TextField(blank=True, help_text="password, encrypted with the deployment's key")
    imap_folder = models.CharField(max_length=255, default="INBOX")
    smtp_host = models.CharField(max_length=255, blank=True)
    smtp_port = models.IntegerField(default=587)
    smtp_security = models.CharField(max_length=8, choices=Security.choices, default=Security.STARTTLS)
    smtp_user = models.CharField(max_length=255, blank=True)
    smtp_secret = models.TextField(blank=True, help_text="password, encrypted with the deployment's key")
    last_poll_at = models.DateTimeField(null=True, blank=True)
    last_poll_ok_at = models.DateTimeField(null=True, blank=True)
    last_poll_taken = models.IntegerField(default=0)
    last_error = models.CharField(max_length=1000, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    poll_lease = models.DateTimeField(null=True, blank=True, help_text="a poller holds the mailbox until then")

    class Meta:
        ordering = ["address"]

    def __str__(self) -> str:
        return self.address


class MailStatus(models.TextChoices):
    RECEIVED = "received", "รับแล้ว รอตรวจ"
    QUEUED = "queued", "เข้าคิวรอลงทะเบียนแล้ว"
    QUARANTINED = "quarantined", "กักไว้ตรวจสอบ"
    DISCARDED = "discarded", "ไม่รับเข้าคิว (เก็บต้นฉบับไว้)"


class MailMessage(UUIDModel):
    """One message received for one agency.  The original is kept byte for byte (``raw``, SHA-256)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(MailAccount, null=True, blank=True, on_delete=models.PROTECT, related_name="messages")
    source = models.CharField(max_length=8, choices=Inbound.choices)
    raw = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+", help_text="the .eml exactly as received")
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    received_at = models.DateTimeField(db_index=True)
    envelope_from = models.CharField(max_length=500, blank=True)
    envelope_to = models.CharField(max_length=500, blank=True)
    peer = models.CharField(max_length=100, blank=True, help_text="the SMTP client that handed it over")
    imap_uidvalidity = models.BigIntegerField(null=True, blank=True)
    imap_uid = models.BigIntegerField(null=True, blank=True)
    message_id = models.CharField(max_length=500, blank=True, db_index=True, help_text="the Message-ID header")
    from_addr = models.CharField(max_length=320, blank=True)
    from_name = models.CharField(max_length=500, blank=True)
    subject = models.CharField(max_length=1000, blank=True, help_text="blank when the mail looks classified")
    classified = models.BooleanField(default=False, help_text="marked ลับ/ลับมาก: kept encrypted, never shown")
    status = models.CharField(max_length=16, choices=MailStatus.choices, default=MailStatus.RECEIVED)
    reasons = models.JSONField(default=list, help_text="why it is quarantined: [{code, th, en}]")
    flags = models.JSONField(default=dict, help_text="spoofing, duplicates, sender match")
    sender_code = models.CharField(max_length=64, blank=True, help_text="the agency the sender was matched to")
    attachments = models.JSONField(default=list, help_text="[{name, type, size, sha256, role}]")
    intake_item_id = models.UUIDField(null=True, blank=True, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    process_lease = models.DateTimeField(null=True, blank=True)
    process_error = models.CharField(max_length=1000, blank=True)
    registration = models.JSONField(default=dict, blank=True, help_text="number given when it was registered")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["account", "imap_uidvalidity", "imap_uid"], name="mail_imap_once",
                                    condition=models.Q(imap_uid__isnull=False)),
        ]
        indexes = [models.Index(fields=["agency", "status", "received_at"]),
                   models.Index(fields=["status", "processed_at"])]


class OutStatus(models.TextChoices):
    PENDING = "pending", "รอส่ง"
    SENT = "sent", "ส่งแล้ว (เครื่องแม่ข่ายรับแล้ว)"
    FAILED = "failed", "ส่งไม่สำเร็จ"


class OutgoingMail(UUIDModel):
    """An e-mail to send from the central address: a letter to one recipient, or a reply with the number.

    The message is built once (``raw``, with its Message-ID) and every attempt sends exactly those bytes.
    """

    KIND_LETTER, KIND_REPLY = "letter", "reply"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8)
    dispatch_id = models.UUIDField(null=True, blank=True, unique=True, help_text="exchange.Dispatch for a letter")
    reply_to = models.ForeignKey(MailMessage, null=True, blank=True, on_delete=models.PROTECT, related_name="replies")
    to_addr = models.CharField(max_length=320)
    message_id = models.CharField(max_length=500, unique=True)
    raw = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=OutStatus.choices, default=OutStatus.PENDING)
    attempts = models.IntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    smtp_code = models.IntegerField(null=True, blank=True)
    smtp_reply = models.CharField(max_length=1000, blank=True, help_text="the server's last answer")
    sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
