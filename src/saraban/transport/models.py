"""The record that makes a retried request act once."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class IdempotencyRecord(models.Model):
    """The first answer to a mutating call made with an ``Idempotency-Key`` (or a form's one-time token);
    retries get it back.  The table keeps the name it had in the ``api`` app."""

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status = models.IntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        db_table = "api_idempotencyrecord"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key")]
