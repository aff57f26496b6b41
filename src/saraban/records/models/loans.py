"""Loans (การยืม, ข้อ 61–65; form 24) and the certified copies given with them (สำเนาถูกต้อง, R44–R45).

A loan is the borrowing card of form 24: the item, the borrower and their agency, who took it, when it was
lent and is due back, who returned it and when, and who approved it.  An *electronic* loan is also a
time-limited access grant: while it runs (lent, not yet due, not returned) the borrower sees the letter
through :data:`saraban.records.policy.LOAN_GRANT`; at ``due_at`` it stops by itself, with nothing to run.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saraban.kernel.models import UUIDModel
from saraban.letters.models import Letter, LetterFile
from saraban.orgs.models import Agency, Person
from saraban.storage.models import Blob


class LoanMedium(models.TextChoices):
    ELECTRONIC = "electronic", "สิทธิ์เข้าถึงฉบับอิเล็กทรอนิกส์ (หมดอายุเอง)"
    PAPER = "paper", "ต้นฉบับกระดาษ"
    COPY = "copy", "สำเนาถูกต้อง"


MEDIUM_EN = {"electronic": "Electronic access grant (expires by itself)", "paper": "Paper original",
             "copy": "Certified copy"}


class BorrowerScope(models.TextChoices):
    INTERNAL = "internal", "ภายในส่วนราชการ"
    OTHER_AGENCY = "other_agency", "ส่วนราชการอื่น"
    OUTSIDER = "outsider", "บุคคลภายนอก"


SCOPE_EN = {"internal": "Within the agency", "other_agency": "Another agency", "outsider": "Outsider"}
APPROVAL_SCOPES = (BorrowerScope.OTHER_AGENCY, BorrowerScope.OUTSIDER)
"""Loans that need a division head's (or higher) recorded approval (R45)."""


class Loan(UUIDModel):
    """One borrowing card (บัตรยืมหนังสือ, form 24)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", help_text="the lending agency")
    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="loans", help_text="รายการ")
    file_code = models.CharField(max_length=64, blank=True, help_text="รหัสแฟ้ม of the item, if filed")
    medium = models.CharField(max_length=16, choices=LoanMedium.choices)
    scope = models.CharField(max_length=16, choices=BorrowerScope.choices)
    borrower = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="loans",
                                 help_text="the borrower's person record (required for electronic loans)")
    borrower_name = models.CharField(max_length=255, help_text="ผู้ยืม: name")
    borrower_position = models.CharField(max_length=255, blank=True, help_text="ผู้ยืม: position")
    borrower_agency = models.CharField(max_length=255, help_text="ผู้ยืม: agency")
    purpose = models.TextField(help_text="the official purpose the borrower states")
    receiver_name = models.CharField(max_length=255, help_text="ผู้รับ: who took the letter")
    lent_at = models.DateTimeField(help_text="วันยืม")
    due_at = models.DateTimeField(db_index=True, help_text="กำหนดส่งคืน")
    approver = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approver_name = models.CharField(max_length=255, blank=True)
    approver_position = models.CharField(max_length=255, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True, help_text="วันส่งคืน (or the grant ended early)")
    returner_name = models.CharField(max_length=255, blank=True, help_text="ผู้ส่งคืน")
    return_received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    reminders = models.PositiveIntegerField(default=0)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_at", "created_at"]  # the cards are filed in order of due date (ข้อ 63)
        indexes = [models.Index(fields=["letter", "borrower", "due_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(due_at__gt=models.F("lent_at")), name="loan_due_after_lent"),
            models.CheckConstraint(
                condition=~models.Q(scope__in=["other_agency", "outsider"]) | models.Q(approver__isnull=False),
                name="loan_outside_needs_approver"),
            models.CheckConstraint(condition=~models.Q(medium="electronic") | models.Q(borrower__isnull=False),
                                   name="electronic_loan_has_borrower"),
        ]

    def __str__(self) -> str:
        return f"loan {self.pk} of {self.letter_id}"

    @property
    def is_classified(self) -> bool:
        return self.letter.is_classified

    def is_out(self, now: object) -> bool:
        """Still with the borrower at ``now``: not returned (an electronic grant also ends at its due time)."""
        if self.returned_at is not None:
            return False
        return not (self.medium == LoanMedium.ELECTRONIC and now >= self.due_at)  # type: ignore[operator]

    def is_overdue(self, now: object) -> bool:
        """A paper original or a copy not returned by its due time (electronic grants expire instead)."""
        return self.returned_at is None and self.medium != LoanMedium.ELECTRONIC and now >= self.due_at  # type: ignore[operator]


class CertifiedCopy(UUIDModel):
    """A copy certified "สำเนาถูกต้อง" with the certifier's name and position, signed, given with a loan."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="copies")
    source = models.ForeignKey(LetterFile, on_delete=models.PROTECT, related_name="+",
                               help_text="the letter file the copy was made from")
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+", help_text="the signed copy")
    certifier = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    certifier_name = models.CharField(max_length=255)
    certifier_position = models.CharField(max_length=255)
    signed = models.BooleanField(default=False, help_text="carries a PAdES signature")
    certified_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["certified_at"]
