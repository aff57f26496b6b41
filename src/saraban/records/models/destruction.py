"""The yearly destruction list (form 25), its committee and the destruction record (ข้อ 66–70; R40–R42)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saraban.kernel.models import UUIDModel
from saraban.orgs.models import Agency, Person

from .keeping import RETENTION_CHOICES, Filing


class ListState(models.TextChoices):
    DRAFT = "draft", "จัดทำบัญชีแล้ว"
    COMMITTEE = "committee", "แต่งตั้งคณะกรรมการแล้ว"
    SIGNED = "signed", "คณะกรรมการลงนามแล้ว"
    APPROVED = "approved", "หัวหน้าส่วนราชการเห็นชอบแล้ว"
    SENT = "sent", "ส่งกรมศิลปากรแล้ว"
    DESTROYED = "destroyed", "ทำลายแล้ว"


class DestructionList(UUIDModel):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="destruction_lists")
    year_be = models.IntegerField(help_text="the year whose retention ended")
    state = models.CharField(max_length=16, choices=ListState.choices, default=ListState.DRAFT)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    due_by = models.DateField(help_text="60 days after 31 December")
    late = models.BooleanField(default=False)
    appointed_at = models.DateTimeField(null=True, blank=True)
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    order_ref = models.CharField(max_length=255, blank=True, help_text="the head's appointing order")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    sent_on = models.DateField(null=True, blank=True, help_text="sent to the Fine Arts Department")
    sent_ref = models.CharField(max_length=255, blank=True)
    consent_on = models.DateField(null=True, blank=True, help_text="destroyable from (reply, or 60 days' silence)")
    fad_reply = models.CharField(max_length=16, blank=True, help_text="'' silence; 'agreed'")
    destroyed_at = models.DateTimeField(null=True, blank=True)
    destroyed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    method = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-year_be", "-created_at"]

    def __str__(self) -> str:
        return f"บัญชีหนังสือขอทำลาย พ.ศ. {self.year_be}"


class Decision(models.TextChoices):
    PENDING = "", "ยังไม่พิจารณา"
    DESTROY = "destroy", "ทำลาย"
    KEEP = "keep", "ขยายเวลาเก็บ"


class DestructionItem(UUIDModel):
    dlist = models.ForeignKey(DestructionList, on_delete=models.PROTECT, related_name="items")
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="destruction_items")
    order = models.PositiveIntegerField()
    decision = models.CharField(max_length=16, choices=Decision.choices, blank=True, default="")
    new_retention = models.CharField(max_length=16, choices=RETENTION_CHOICES, blank=True)
    new_keep_until_be = models.IntegerField(null=True, blank=True)
    remark = models.CharField(max_length=1000, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["dlist", "filing"], name="unique_item_in_list")]


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", "ประธานกรรมการ"
    MEMBER = "member", "กรรมการ"


class CommitteeMember(UUIDModel):
    dlist = models.ForeignKey(DestructionList, on_delete=models.PROTECT, related_name="committee")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=8, choices=CommitteeRole.choices)
    order = models.PositiveSmallIntegerField(default=0)
    signed_at = models.DateTimeField(null=True, blank=True, help_text="signed the list (ข้อ 68.4)")
    record_signed_at = models.DateTimeField(null=True, blank=True, help_text="signed the destruction record (68.5)")

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["dlist", "person"], name="unique_committee_member")]
