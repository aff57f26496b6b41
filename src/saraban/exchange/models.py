"""The participant directory cache, dispatches per recipient, the outbox and the inbox of SBX messages."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saraban.kernel.models import UUIDModel
from saraban.letters.models import Letter
from saraban.orgs.models import Agency
from saraban.storage.models import Blob


class DirectoryVersion(UUIDModel):
    """One signed version of the participant directory that was loaded (kept as evidence)."""

    serial = models.BigIntegerField(unique=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    source = models.CharField(max_length=1000, help_text="file path or URL it was loaded from")
    sha256 = models.CharField(max_length=64)
    document = models.BinaryField(help_text="the directory JSON exactly as signed")
    signature = models.BinaryField(help_text="CAdES detached signature of the directory operator")
    signer = models.CharField(max_length=500)
    entries = models.IntegerField(default=0)
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-serial"]


class Participant(UUIDModel):
    """An organisation in the current directory version, with its SBX system (if it has one)."""

    code = models.SlugField(max_length=64, unique=True, help_text="short code used by the API")
    org = models.CharField(max_length=64, unique=True, help_text="th-org:<department code>")
    name_th = models.CharField(max_length=255)
    name_en = models.CharField(max_length=255, blank=True)
    ministry = models.CharField(max_length=16, blank=True)
    email = models.EmailField(blank=True, help_text="central saraban mailbox (Appendix 7 fallback)")
    system = models.CharField(max_length=64, blank=True, default="SARABAN")
    endpoint = models.CharField(max_length=500, blank=True, help_text="blank: no SBX system")
    protocols = models.JSONField(default=list)
    tls_cert_sha256 = models.JSONField(default=list)
    seal_certs = models.JSONField(default=list, help_text="base64 DER certificates that may seal its messages")
    encryption_cert = models.TextField(blank=True, help_text="base64 DER certificate for classified payloads")
    max_message_bytes = models.BigIntegerField(default=52428800)
    via = models.CharField(max_length=64, blank=True, help_text="org of the intermediary holding its mailbox")
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_to = models.DateTimeField(null=True, blank=True)
    serial = models.BigIntegerField(help_text="directory version it comes from")
    entry = models.JSONField(default=dict)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_th

    @property
    def linked(self) -> bool:
        return bool(self.endpoint or self.via) and "sbx/1.0" in (self.protocols or ["sbx/1.0"])

    @property
    def channels(self) -> list[str]:
        """The channels it takes letters by, in order of preference: the directory entry's ``channels``
        (``["sbx"]``, ``["email"]``, ``["sbx", "email"]``), else SBX first and its central e-mail address second."""
        declared = self.entry.get("channels") if isinstance(self.entry, dict) else None
        if isinstance(declared, list) and declared:
            return [c for c in declared if c in ("sbx", "email")]
        return ["sbx", "email"]


class DispatchStatus(models.TextChoices):
    QUEUED = "queued", "รอส่ง"
    DELIVERED = "delivered", "ส่งถึงแล้ว"
    REGISTERED = "registered", "ปลายทางลงทะเบียนรับแล้ว"
    REJECTED = "rejected", "ปลายทางปฏิเสธ"
    INVALID = "invalid", "ปลายทางแจ้งหนังสือผิด"
    FAILED = "failed", "ส่งไม่สำเร็จ"
    WITHDRAWN = "withdrawn", "ถอนคืนแล้ว"
    SENT = "sent", "ส่งแล้ว (นอกระบบ)"


class DispatchChannel(models.TextChoices):
    SBX = "sbx", "ระบบสารบรรณอิเล็กทรอนิกส์ (SBX)"
    EMAIL = "email", "ไปรษณีย์อิเล็กทรอนิกส์"
    POST = "post", "ไปรษณีย์"
    MESSENGER = "messenger", "พนักงานเดินหนังสือ"


class Dispatch(UUIDModel):
    """One recipient of an outgoing letter by one channel, with its status and evidence (R36)."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="dispatches")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", help_text="sending agency")
    batch = models.UUIDField(db_index=True, help_text="recipients sent together share one package")
    recipient_code = models.CharField(max_length=64)
    recipient_org = models.CharField(max_length=64, blank=True)
    recipient_name = models.CharField(max_length=255)
    channel = models.CharField(max_length=16, choices=DispatchChannel.choices, default=DispatchChannel.SBX)
    status = models.CharField(max_length=16, choices=DispatchStatus.choices, default=DispatchStatus.QUEUED)
    queued_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    status_at = models.DateTimeField()
    signed = models.BooleanField(default=False, help_text="the letter sent carried a digital signature")
    receipt_id = models.CharField(max_length=64, blank=True)
    registration_no = models.CharField(max_length=64, blank=True)
    registration_display = models.CharField(max_length=128, blank=True)
    registration_date = models.DateField(null=True, blank=True)
    registering_unit = models.CharField(max_length=255, blank=True)
    registration_disputed = models.BooleanField(default=False, help_text="we told them the number is wrong")
    reason_code = models.CharField(max_length=64, blank=True)
    reason_text = models.CharField(max_length=1000, blank=True)
    evidence = models.CharField(max_length=500, blank=True, help_text="tracking number, e-mail id, receipt slip")
    fallback_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="fallbacks")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["queued_at", "recipient_name"]
        indexes = [models.Index(fields=["agency", "queued_at"]), models.Index(fields=["letter", "recipient_code"])]


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "รอส่ง"
    DELIVERED = "delivered", "ส่งถึงแล้ว"
    FAILED = "failed", "ส่งไม่สำเร็จ"


class OutboxMessage(UUIDModel):
    """A message to send (a letter or a business signal): the transactional outbox row.

    The envelope, its signature and the payload are built once, stored, and then sent unchanged on every
    attempt, so the receiver sees the same message id with the same digests however often it is retried.
    """

    message_id = models.UUIDField(unique=True)
    kind = models.CharField(max_length=8)  # letter | signal
    signal = models.CharField(max_length=32, blank=True)
    letter_uuid = models.UUIDField()
    in_reply_to = models.UUIDField(null=True, blank=True)
    sender_code = models.CharField(max_length=64)
    recipient_code = models.CharField(max_length=64)
    dispatch = models.OneToOneField(Dispatch, null=True, blank=True, on_delete=models.PROTECT, related_name="message")
    batch = models.UUIDField(null=True, blank=True)
    business = models.JSONField(default=dict, blank=True)
    urgency = models.CharField(max_length=16, default="normal")
    secrecy = models.CharField(max_length=16, default="normal")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.IntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error_code = models.CharField(max_length=64, blank=True)
    last_error = models.CharField(max_length=1000, blank=True)
    route = models.CharField(max_length=16, blank=True, help_text="local (same deployment) or https")
    envelope = models.BinaryField(null=True, blank=True)
    envelope_sig = models.BinaryField(null=True, blank=True)
    envelope_sha256 = models.CharField(max_length=64, blank=True)
    payload = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    payload_sha256 = models.CharField(max_length=64, blank=True)
    receipt_envelope = models.BinaryField(null=True, blank=True)
    receipt_sig = models.BinaryField(null=True, blank=True)
    receipt_id = models.CharField(max_length=64, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]


class InboundMessage(UUIDModel):
    """A message received and accepted (verified, stored, committed, receipt given)."""

    sender_org = models.CharField(max_length=64)
    sender_code = models.CharField(max_length=64)
    message_id = models.UUIDField()
    recipient_code = models.CharField(max_length=64)
    kind = models.CharField(max_length=8)
    signal = models.CharField(max_length=32, blank=True)
    letter_uuid = models.UUIDField(db_index=True)
    in_reply_to = models.UUIDField(null=True, blank=True)
    urgency = models.CharField(max_length=16, default="normal")
    secrecy = models.CharField(max_length=16, default="normal")
    envelope = models.BinaryField()
    envelope_sig = models.BinaryField()
    envelope_sha256 = models.CharField(max_length=64)
    payload = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                help_text="the payload exactly as received (ciphertext when encrypted)")
    package = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                help_text="the decrypted package (encrypted at rest) for classified letters")
    payload_sha256 = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField()
    route = models.CharField(max_length=16)
    peer_sha256 = models.CharField(max_length=64, blank=True, help_text="TLS client certificate of the sender")
    receipt_id = models.CharField(max_length=64, unique=True)
    receipt_envelope = models.BinaryField()
    receipt_sig = models.BinaryField()
    verification = models.JSONField(default=dict)
    business = models.JSONField(default=dict, blank=True)
    intake_item_id = models.UUIDField(null=True, blank=True, db_index=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    handover_lease = models.DateTimeField(null=True, blank=True, help_text="being handed over until then")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=1000, blank=True)
    registration_disputed = models.CharField(max_length=1000, blank=True)
    mailbox = models.BooleanField(default=False, help_text="held for a participant that pulls (not ours)")
    mailbox_acked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at"]
        constraints = [models.UniqueConstraint(fields=["sender_org", "message_id"], name="inbound_once")]
        indexes = [models.Index(fields=["recipient_code", "received_at"])]
