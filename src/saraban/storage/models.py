"""Blob metadata.  Content lives in the blob store, addressed by the SHA-256 of the plain content;
classified content is kept as a separate, encrypted blob even when the same bytes exist in the clear."""

from __future__ import annotations

from django.db import models


class Blob(models.Model):
    id = models.BigAutoField(primary_key=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    encrypted = models.BooleanField(default=False, help_text="stored encrypted at rest (ลับ / ลับมาก)")
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=128)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sha256", "encrypted"], name="unique_blob")]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.size} B{', encrypted' if self.encrypted else ''})"
