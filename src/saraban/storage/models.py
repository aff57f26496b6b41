"""Blob metadata, master key versions and backup runs.

Content lives in the blob store under :attr:`Blob.name`: the SHA-256 of the plain content for plain blobs,
``enc/<keyed hash>`` for encrypted ones (the plaintext hash never names a classified file).  Classified
content is kept as a separate, encrypted blob even when the same bytes exist in the clear.  An encrypted
blob's data key is kept here, wrapped by the master key version :attr:`Blob.key_version`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Scheme(models.IntegerChoices):
    PLAIN = 0, "plain"
    LEGACY = 1, "AES-256-GCM, key derived from keys/master.key (before envelopes)"
    ENVELOPE = 2, "AES-256-GCM envelope, chunked"


class Blob(models.Model):
    id = models.BigAutoField(primary_key=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    encrypted = models.BooleanField(default=False, help_text="stored encrypted at rest (ลับ / ลับมาก)")
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=128)
    created_at = models.DateTimeField()
    name = models.CharField(max_length=80, unique=True, help_text="object name in the blob store")
    scheme = models.PositiveSmallIntegerField(choices=Scheme.choices, default=Scheme.PLAIN)
    key_version = models.PositiveIntegerField(null=True, blank=True, help_text="master key version; 0 = legacy key")
    wrapped_key = models.BinaryField(null=True, blank=True, help_text="the data key, wrapped (AES key wrap)")
    damage = models.CharField(max_length=16, blank=True, default="", help_text="'corrupt' or 'missing' when found so")
    damaged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sha256", "encrypted"], name="unique_blob")]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.size} B{', encrypted' if self.encrypted else ''})"


class KeyVersion(models.Model):
    """A master key version made current by ``saraban keys rotate`` (version 1 is current before any)."""

    version = models.PositiveIntegerField(primary_key=True)
    kms = models.CharField(max_length=16)
    fingerprint = models.CharField(max_length=32)
    activated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"master key v{self.version} ({self.kms} {self.fingerprint})"


class BackupStatus(models.TextChoices):
    RUNNING = "running", "กำลังสำรองข้อมูล"
    DONE = "done", "สำเร็จ"
    FAILED = "failed", "ไม่สำเร็จ"


class Backup(models.Model):
    """One run of ``saraban backup`` (by hand or on schedule); at most one runs at a time."""

    id = models.BigAutoField(primary_key=True)
    target = models.CharField(max_length=500)
    snapshot = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=8, choices=BackupStatus.choices, default=BackupStatus.RUNNING)
    scheduled = models.BooleanField(default=False)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    blobs = models.IntegerField(default=0)
    blobs_copied = models.IntegerField(default=0)
    bytes_copied = models.BigIntegerField(default=0)
    manifest_sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["status"], condition=Q(status="running"),
                                               name="one_backup_running")]

    def __str__(self) -> str:
        return f"backup {self.snapshot or self.pk} → {self.target} ({self.status})"
