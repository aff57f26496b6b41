"""The file plan (แผนแฟ้ม) and the filing of completed letters under it (ข้อ 54–57; R38–R39)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saraban.kernel.models import UUIDModel
from saraban.letters.models import Letter, LetterFile
from saraban.orgs.models import Agency

RETENTION_CHOICES = [("1y", "1 ปี"), ("5y", "5 ปี"), ("10y", "10 ปี"), ("permanent", "ห้ามทำลาย"),
                     ("special", "ตามกฎหมายเฉพาะ")]


class FileCode(UUIDModel):
    """A file code (รหัสแฟ้ม) of an agency's file plan, in a tree, with its default retention class."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="file_codes")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    code = models.CharField(max_length=64)
    title_th = models.CharField(max_length=500)
    title_en = models.CharField(max_length=500, blank=True)
    retention = models.CharField(max_length=16, choices=RETENTION_CHOICES, default="10y")
    special_years = models.PositiveSmallIntegerField(null=True, blank=True, help_text="special law: years kept")
    special_law = models.CharField(max_length=500, blank=True, help_text="the special law (and section)")
    basis = models.CharField(max_length=500, blank=True,
                             help_text="why a class under 10 years is allowed (ข้อ 57: routine; MoF agreement …)")
    active = models.BooleanField(default=True)
    sort_order = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="unique_file_code")]
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title_th}"


class FilingState(models.TextChoices):
    KEPT = "kept", "เก็บรักษา"
    LISTED = "listed", "อยู่ในบัญชีขอทำลาย"
    DESTROYED = "destroyed", "ทำลายแล้ว"
    DELIVERED = "delivered", "ส่งมอบหอจดหมายเหตุแห่งชาติแล้ว"


class Filing(UUIDModel):
    """A completed letter kept under a file code with a retention class; after destruction it is the
    tombstone (metadata, list reference, approval and date stay; the content is gone)."""

    letter = models.OneToOneField(Letter, on_delete=models.PROTECT, related_name="filing")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="filings")
    file_code = models.ForeignKey(FileCode, on_delete=models.PROTECT, related_name="filings")
    retention = models.CharField(max_length=16, choices=RETENTION_CHOICES)
    special_years = models.PositiveSmallIntegerField(null=True, blank=True)
    special_law = models.CharField(max_length=500, blank=True)
    completed_on = models.DateField(help_text="the day the matter was completed")
    base_year_be = models.IntegerField(help_text="the B.E. year the period counts from")
    keep_until_be = models.IntegerField(null=True, blank=True, help_text="เก็บถึง พ.ศ.; null: ห้ามทำลาย")
    authorisation = models.CharField(max_length=500, blank=True,
                                     help_text="the recorded authorisation for a period under the minimum (R39)")
    authorised_by = models.CharField(max_length=255, blank=True)
    remark = models.CharField(max_length=1000, blank=True)
    stamped_copy = models.ForeignKey(LetterFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=16, choices=FilingState.choices, default=FilingState.KEPT)
    filed_at = models.DateTimeField()
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    stored_at = models.DateTimeField(null=True, blank=True, help_text="วันเก็บ: entered in the storage register")
    destroyed_at = models.DateTimeField(null=True, blank=True)
    destruction_list = models.ForeignKey("records.DestructionList", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["filed_at"]
        indexes = [models.Index(fields=["agency", "state", "keep_until_be"])]

    def __str__(self) -> str:
        return f"{self.file_code.code}: {self.letter.subject}"

    @property
    def permanent(self) -> bool:
        return self.keep_until_be is None
