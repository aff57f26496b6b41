"""Re-grading of classified letters (การปรับชั้นความลับ; Secrets Regulation Ch. 2; R46–R47).

Every change of a letter's secrecy class — raised, lowered or cancelled — is one row here, kept for good:
who decided it, on what authority and why, when, and which register rows moved between the ordinary and the
secret books.  The reason is free text about a classified letter, so it stays in this access-checked table
and never in the audit log's plaintext.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saraban.kernel.models import Secrecy, UUIDModel
from saraban.letters.models import Letter
from saraban.registry.models import RegisterEntry


class GradeChange(models.TextChoices):
    RAISE = "raise", "ปรับชั้นความลับสูงขึ้น"
    LOWER = "lower", "ปรับชั้นความลับลดลง"
    DECLASSIFY = "declassify", "ยกเลิกชั้นความลับ"
    CLASSIFY = "classify", "กำหนดชั้นความลับ"


CHANGE_EN = {"raise": "Raised", "lower": "Lowered", "declassify": "Declassified", "classify": "Classified"}


class Regrading(UUIDModel):
    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="regradings")
    change = models.CharField(max_length=16, choices=GradeChange.choices)
    from_secrecy = models.CharField(max_length=16, choices=Secrecy.choices)
    to_secrecy = models.CharField(max_length=16, choices=Secrecy.choices)
    reason = models.TextField()
    authority = models.CharField(max_length=500, blank=True, help_text="the written order or note authorising it")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_by_name = models.CharField(max_length=255)
    decided_by_position = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField()
    moved_from = models.ManyToManyField(RegisterEntry, related_name="+", blank=True,
                                        help_text="register rows closed in the book the letter left")
    moved_to = models.ManyToManyField(RegisterEntry, related_name="+", blank=True,
                                      help_text="register rows opened in the book the letter entered")
    files_encrypted = models.PositiveIntegerField(default=0, help_text="files re-stored encrypted at rest")

    class Meta:
        ordering = ["at"]

    @property
    def is_classified(self) -> bool:
        return self.from_secrecy != Secrecy.NORMAL or self.to_secrecy != Secrecy.NORMAL
