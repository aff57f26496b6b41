"""Letters and their files.

A letter's registry fields and its original file are immutable once registered; receipt stamps,
endorsements and signatures produce new *derived* files that point at what they came from.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from saraban.kernel.ids import uuid7
from saraban.kernel.models import LetterKind, Secrecy, Urgency, UUIDModel
from saraban.orgs.models import Agency, Person, Unit
from saraban.storage.models import Blob


class Direction(models.TextChoices):
    INCOMING = "incoming", "หนังสือรับ"
    OUTGOING = "outgoing", "หนังสือส่ง"


class LetterStatus(models.TextChoices):
    REGISTERED = "registered", "ลงทะเบียนแล้ว"
    CANCELLED = "cancelled", "ยกเลิก"
    OUTSIDE = "outside", "ดำเนินการนอกระบบ"


class Letter(UUIDModel):
    letter_uuid = models.UUIDField(default=uuid7, db_index=True, help_text="stable across agencies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="letters")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="letters", help_text="registering unit")
    direction = models.CharField(max_length=16, choices=Direction.choices)
    kind = models.CharField(max_length=16, choices=LetterKind.choices)
    their_ref = models.CharField(max_length=255, blank=True, help_text="ที่ exactly as printed")
    ref_norm = models.CharField(max_length=255, blank=True, db_index=True, help_text="digit-insensitive ที่")
    letter_date = models.DateField(null=True, blank=True, help_text="ลงวันที่")
    sender = models.CharField(max_length=500, blank=True)
    sender_norm = models.CharField(max_length=500, blank=True)
    addressee = models.CharField(max_length=500, blank=True)
    subject = models.CharField(max_length=1000)
    urgency = models.CharField(max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    secrecy = models.CharField(max_length=16, choices=Secrecy.choices, default=Secrecy.NORMAL)
    remark = models.CharField(max_length=1000, blank=True)
    status = models.CharField(max_length=16, choices=LetterStatus.choices, default=LetterStatus.REGISTERED)
    channel = models.CharField(max_length=16, default="upload")
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="registered although it looked like this earlier letter (confirmed by the registrar)",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "ref_norm", "letter_date"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_classified(self) -> bool:
        return self.secrecy != Secrecy.NORMAL


class FileRole(models.TextChoices):
    """What a file is to the whole letter.  ``letter`` and ``enclosure`` are the parts that travel (the letter
    as received or as signed, and its สิ่งที่ส่งมาด้วย); the others are copies derived from the letter."""

    LETTER = "letter", "หนังสือ (ต้นฉบับ)"
    ENCLOSURE = "enclosure", "สิ่งที่ส่งมาด้วย"
    PRESENTATION = "presentation", "ฉบับแสดงผล (ประทับตรารับ)"
    SIGNED = "signed", "ฉบับลงนาม"
    ANNEX = "annex", "ฉบับแนบบันทึกเกษียน"
    NUMBERED = "numbered", "ฉบับประทับเลขที่และวันที่"


PART_ROLES = (FileRole.LETTER, FileRole.ENCLOSURE)
ROLE_EN = {"letter": "Letter", "enclosure": "Enclosure", "presentation": "Presentation copy (receipt stamp)",
           "signed": "Signed copy", "annex": "Copy with endorsements", "numbered": "Copy stamped with number and date"}


class FilePart(models.Model):
    """A file of a whole letter wherever it is kept (a letter, a queued item, a draft, a completion report):
    the letter itself or one of its enclosures, with the name it came with, its สิ่งที่ส่งมาด้วย line and its
    place.  Abstract: each owner keeps its own table (:mod:`saraban.letters.enclosures` checks the files)."""

    role = models.CharField(max_length=16, choices=FileRole.choices, default=FileRole.LETTER)
    name = models.CharField(max_length=255, help_text="the file's original name")
    title = models.CharField(max_length=500, blank=True, help_text="enclosures: the สิ่งที่ส่งมาด้วย line")
    order = models.PositiveIntegerField(default=0, help_text="place among the parts; the letter comes first")
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    @property
    def sha256(self) -> str:
        return self.blob.sha256

    @property
    def size(self) -> int:
        return self.blob.size

    @property
    def content_type(self) -> str:
        return self.blob.content_type

    @property
    def is_letter(self) -> bool:
        return self.role == FileRole.LETTER

    @property
    def label(self) -> str:
        """What a list shows: the enclosure's title, else its file name."""
        return self.title or self.name


class LetterFile(UUIDModel, FilePart):
    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="files")
    derived_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="derivatives"
    )
    pages = models.IntegerField(null=True, blank=True)
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]


class LetterAccess(UUIDModel):
    """Need-to-know: a person or unit was given this letter (by distribution, assignment, circular)."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="access")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=64)
    granted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(unit__isnull=False), name="access_has_grantee"
            )
        ]


def new_letter_uuid() -> uuid.UUID:
    return uuid7()
