"""The append-only, hash-chained audit log.

``seq`` is gapless and assigned under a lock on the single :class:`AuditHead` row, which also keeps the
hash of the last event, so a deleted tail is detected too.  Database triggers refuse UPDATE and DELETE
on the event table (see the migration); the hash chain catches whoever gets past them.
"""

from __future__ import annotations

from django.db import models

from saraban.kernel.ids import uuid7

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    seq = models.BigIntegerField(primary_key=True)
    uid = models.UUIDField(default=uuid7, unique=True, editable=False)
    at = models.DateTimeField()
    actor_id = models.IntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=255, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # nullable so adding it is a plain ALTER TABLE: SQLite would rebuild the table (dropping its append-only
    # triggers) to add a NOT NULL column
    key_id = models.CharField(max_length=16, null=True, blank=True,
                              help_text="the chain key that keyed this link (empty: a plain link from before keying)")

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    id = models.SmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
