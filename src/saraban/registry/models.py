"""Register books (one gapless sequence per numbering unit, kind and B.E. year) and their entries."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saraban.kernel.models import Secrecy, Urgency, UUIDModel
from saraban.letters.models import Letter
from saraban.orgs.models import Unit

from .books import SECRET_BOOKS, BookKind


class RegisterBook(UUIDModel):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="books")
    kind = models.CharField(max_length=32, choices=BookKind.choices)
    year_be = models.IntegerField()
    last_number = models.IntegerField(default=0)
    floor = models.IntegerField(
        default=0, help_text="numbers up to this one were issued in the paper book before migrating"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "kind", "year_be"], name="unique_book")]
        ordering = ["kind", "-year_be"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit.name_th} {self.year_be}"

    @property
    def is_classified(self) -> bool:
        """A secret register: its rows are classified letters."""
        return self.kind in SECRET_BOOKS


class RegisterEntry(UUIDModel):
    """One row of a register book: the eight official columns plus time, urgency, secrecy, letter."""

    book = models.ForeignKey(RegisterBook, on_delete=models.PROTECT, related_name="entries")
    number = models.IntegerField()
    display = models.CharField(max_length=128)
    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="entries")
    # the eight columns (เลขทะเบียน is number/display)
    ref = models.CharField(max_length=255, blank=True, help_text="ที่")
    letter_date = models.DateField(null=True, blank=True, help_text="ลงวันที่")
    from_text = models.CharField(max_length=500, blank=True, help_text="จาก")
    to_text = models.CharField(max_length=500, blank=True, help_text="ถึง")
    subject = models.CharField(max_length=1000, help_text="เรื่อง")
    action_text = models.TextField(blank=True, help_text="การปฏิบัติ")
    remark = models.CharField(max_length=1000, blank=True, help_text="หมายเหตุ")
    # beyond the eight columns
    registered_at = models.DateTimeField()
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    urgency = models.CharField(max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    secrecy = models.CharField(max_length=16, choices=Secrecy.choices, default=Secrecy.NORMAL)
    cancelled = models.BooleanField(default=False)
    cancel_reason = models.CharField(max_length=1000, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["book", "number"], name="unique_number_in_book"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="number_positive"),
        ]
        ordering = ["book", "number"]

    def __str__(self) -> str:
        return self.display

    @property
    def is_classified(self) -> bool:
        return self.secrecy != Secrecy.NORMAL


class HiddenTwin(UUIDModel):
    """A registration that looked like an earlier letter its registrar may not see (a secret twin, another
    unit's letter): the registrar was not told of it; those who may see ``twin`` are."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="+")
    twin = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
