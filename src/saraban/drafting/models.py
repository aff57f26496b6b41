"""Drafts and their versions, who takes part, the review chain, signing keys and signed letters.

A draft's content lives in its versions (JSON of :mod:`saraban.letterpress.content`, see
:mod:`saraban.letterpress.serial`): every save is a new version, nothing is overwritten.  The letter
(:class:`saraban.letters.models.Letter`) is created only at signing, with its number, in the same
transaction as the register row; until then a draft is no letter and takes no number.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saraban.kernel.ids import uuid7
from saraban.kernel.models import Secrecy, Urgency, UUIDModel
from saraban.letterpress.content import KIND_NAME_TH, Kind
from saraban.letters.models import FilePart, FileRole, Letter, LetterFile
from saraban.orgs.models import Agency, Person, Unit
from saraban.registry.models import RegisterEntry
from saraban.storage.models import Blob


class DraftStatus(models.TextChoices):
    DRAFT = "draft", "ร่าง"
    IN_REVIEW = "in_review", "ระหว่างตรวจ"
    RETURNED = "returned", "ส่งกลับแก้ไข"
    APPROVED = "approved", "อนุมัติแล้ว รอลงนาม"
    SIGNED = "signed", "ลงนามแล้ว"
    CANCELLED = "cancelled", "ยกเลิก"


STATUS_EN = {"draft": "Draft", "in_review": "In review", "returned": "Returned for revision",
             "approved": "Approved, awaiting signature", "signed": "Signed", "cancelled": "Cancelled"}
EDITABLE = (DraftStatus.DRAFT, DraftStatus.RETURNED)

KIND_CHOICES = [(k.value, KIND_NAME_TH[k]) for k in Kind]


class Draft(UUIDModel):
    letter_uuid = models.UUIDField(default=uuid7, unique=True, help_text="the letter's stable id once signed")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="drafts", help_text="owning unit")
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    subject = models.CharField(max_length=1000, blank=True, help_text="the current version's subject")
    urgency = models.CharField(max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    secrecy = models.CharField(max_length=16, choices=Secrecy.choices, default=Secrecy.NORMAL)
    circular = models.BooleanField(default=False, help_text="numbered in the circular (ว) series")
    status = models.CharField(max_length=16, choices=DraftStatus.choices, default=DraftStatus.DRAFT)
    version = models.IntegerField(default=0, help_text="number of the current version")
    approved_version = models.IntegerField(null=True, blank=True)
    round = models.IntegerField(default=0, help_text="review rounds started")
    submitted_version = models.IntegerField(null=True, blank=True, help_text="the version the round started with")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafter = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", help_text="ผู้ร่าง")
    preparer = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 help_text="ผู้พิมพ์")
    checker = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                help_text="ผู้ตรวจ/ทาน (the last reviewer who passed it)")
    letter = models.OneToOneField(Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="draft")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.subject or str(self.pk)

    @property
    def kind_enum(self) -> Kind:
        return Kind(self.kind)

    @property
    def is_classified(self) -> bool:
        return self.secrecy != Secrecy.NORMAL

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE


class DraftVersion(UUIDModel):
    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="versions")
    number = models.IntegerField()
    content = models.JSONField(help_text="the letter content (saraban.letterpress.serial)")
    author = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["draft", "number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="unique_draft_version")]


class DraftEnclosure(UUIDModel, FilePart):
    """A file enclosed with a draft (role ``enclosure``).  Its ``title`` is the letter's สิ่งที่ส่งมาด้วย line:
    the draft's enclosure lines come from these, in ``order``.  At signing they become the letter's
    enclosures with the same bytes."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="enclosures")
    pages = models.IntegerField(null=True, blank=True)
    added_by = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["draft", "order"]

    def save(self, *args: object, **kwargs: object) -> None:
        self.role = FileRole.ENCLOSURE
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ParticipantRole(models.TextChoices):
    DRAFTER = "drafter", "ผู้ร่าง"
    PREPARER = "preparer", "ผู้พิมพ์"
    REVIEWER = "reviewer", "ผู้ตรวจ"
    SIGNER = "signer", "ผู้ลงนาม"


class SignMode(models.TextChoices):
    PKI = "pki", "ลายมือชื่อดิจิทัล (ใบรับรอง)"
    TYPED = "typed", "พิมพ์ชื่อในระบบ (ยืนยันตัวตนแล้ว)"
    SEAL = "seal", "ตราชื่อส่วนราชการและอักษรย่อ"


class DraftParticipant(UUIDModel):
    """Who takes part in a draft (and so may see it): drafter, preparer, reviewers and signers in order."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, choices=ParticipantRole.choices)
    order = models.IntegerField(default=1)
    mode = models.CharField(max_length=8, choices=SignMode.choices, blank=True, help_text="signers only")
    position = models.CharField(max_length=500, blank=True, help_text="signers: position lines, one a line")

    class Meta:
        ordering = ["draft", "role", "order"]
        constraints = [models.UniqueConstraint(fields=["draft", "role", "order"], name="unique_participant_slot")]


class StepRole(models.TextChoices):
    REVIEW = "review", "ตรวจ"
    APPROVE = "approve", "อนุมัติ"


class StepState(models.TextChoices):
    WAITING = "waiting", "รอ"
    CURRENT = "current", "อยู่ระหว่างพิจารณา"
    APPROVED = "approved", "ผ่าน"
    RETURNED = "returned", "ส่งกลับแก้ไข"
    CANCELLED = "cancelled", "ยกเลิก"


class ReviewStep(UUIDModel):
    """One step of a review round: the reviewers in order, then each signer approving."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="steps")
    round = models.IntegerField()
    order = models.IntegerField()
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=8, choices=StepRole.choices)
    state = models.CharField(max_length=16, choices=StepState.choices, default=StepState.WAITING)
    version = models.IntegerField(null=True, blank=True, help_text="the version decided on")
    comment = models.TextField(blank=True)
    diff = models.TextField(blank=True, help_text="a return: what changed from the submitted version")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["draft", "round", "order"]
        constraints = [models.UniqueConstraint(fields=["draft", "round", "order"], name="unique_review_step")]


class DraftComment(UUIDModel):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="comments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    version = models.IntegerField()
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["draft", "created_at"]


class KeyBackend(models.TextChoices):
    KEY_FILE = "keyfile", "ไฟล์กุญแจ (PKCS#12)"
    PKCS11 = "pkcs11", "อุปกรณ์ PKCS#11 (token/HSM)"


class PinMode(models.TextChoices):
    ASK = "ask", "ผู้ลงนามกรอก PIN ทุกครั้ง"
    STORED = "stored", "PIN เก็บในระบบ (ตราส่วนราชการ)"


class SignerKey(UUIDModel):
    """Where a person's signing key (or an agency's seal key) lives.  PINs are never stored here:
    ``pin_ref`` names an environment variable (``env:NAME``) or a file (``file:/path``) for a key the
    server holds (an agency seal); a person's key asks its holder for the PIN at every signing."""

    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="signer_keys")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="seal_keys")
    backend = models.CharField(max_length=8, choices=KeyBackend.choices)
    path = models.CharField(max_length=1024, help_text="the PKCS#12 file, or the PKCS#11 module")
    token_label = models.CharField(max_length=128, blank=True)
    key_label = models.CharField(max_length=128, blank=True)
    cert_label = models.CharField(max_length=128, blank=True)
    raw_mechanism = models.BooleanField(default=False)
    pin_mode = models.CharField(max_length=8, choices=PinMode.choices, default=PinMode.ASK)
    pin_ref = models.CharField(max_length=1024, blank=True)
    cert_sha256 = models.CharField(max_length=64, help_text="the approved certificate's SHA-256 fingerprint")
    subject = models.CharField(max_length=500)
    not_after = models.DateTimeField()
    active = models.BooleanField(default=True)
    test = models.BooleanField(default=False, help_text="a certificate of the TEST PKI")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(person__isnull=False) & models.Q(agency__isnull=True))
                | (models.Q(person__isnull=True) & models.Q(agency__isnull=False)),
                name="signer_key_one_owner",
            ),
            models.UniqueConstraint(fields=["person"], condition=models.Q(active=True, person__isnull=False),
                                    name="one_active_key_per_person"),
            models.UniqueConstraint(fields=["agency"], condition=models.Q(active=True, agency__isnull=False),
                                    name="one_active_seal_per_agency"),
        ]


class SignedRecord(UUIDModel):
    """What was signed: the letter, its signed file, the file copy, and the public verification token."""

    draft = models.OneToOneField(Draft, on_delete=models.PROTECT, related_name="signed")
    letter = models.OneToOneField(Letter, on_delete=models.PROTECT, related_name="signed_record")
    signed_file = models.ForeignKey(LetterFile, on_delete=models.PROTECT, related_name="+")
    file_copy = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+",
                                  help_text="สำเนาคู่ฉบับ with the drafter, typist and checker marks")
    entry = models.ForeignKey(RegisterEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=64, unique=True, help_text="the public verification page's token")
    sha256 = models.CharField(max_length=64, db_index=True)
    number = models.CharField(max_length=128, blank=True, help_text="the number as registered")
    letter_date = models.DateField()
    level = models.CharField(max_length=8)
    pages = models.IntegerField()
    signers = models.JSONField(default=list, help_text="who signed, in order: name, position, mode, certificate")
    signed_at = models.DateTimeField()
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
