"""Routing records: steps (distribution, assignment, circular delivery, template steps), endorsements,
route templates, the holiday calendar and notifications.

A :class:`Step` is one hand-over of a letter to a unit, a position or a person.  It keeps who sent it and
when, whom it resolved to on that day (and whether that person was acting in the position), when it was
*opened* and, separately, when it was *acted on* (acknowledged, done, returned) — "seen" is not "done".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saraban.kernel.models import LetterKind, UUIDModel
from saraban.letters.models import FilePart, FileRole, Letter, LetterFile
from saraban.orgs.models import Person, Position, Unit


class StepKind(models.TextChoices):
    DISTRIBUTE = "distribute", "ส่ง"
    ASSIGN = "assign", "มอบหมาย"
    CIRCULAR = "circular", "แจ้งเวียน"
    PROPOSE = "propose", "เสนอ"


KIND_EN = {"distribute": "Sent", "assign": "Assigned", "circular": "Circulated", "propose": "Proposed"}


class StepStatus(models.TextChoices):
    WAITING = "waiting", "รอถึงลำดับ"
    SENT = "sent", "ยังไม่เปิด"
    OPENED = "opened", "เปิดอ่านแล้ว"
    ACKNOWLEDGED = "acknowledged", "รับทราบแล้ว"
    DONE = "done", "ดำเนินการแล้ว"
    RETURNED = "returned", "ส่งคืน"
    RECALLED = "recalled", "เรียกคืน"


STATUS_EN = {"waiting": "Waiting", "sent": "Not opened", "opened": "Opened", "acknowledged": "Acknowledged",
             "done": "Done", "returned": "Returned", "recalled": "Recalled"}
OPEN_STATUSES = (StepStatus.SENT, StepStatus.OPENED, StepStatus.ACKNOWLEDGED)
LIVE_STATUSES = (StepStatus.SENT, StepStatus.OPENED, StepStatus.ACKNOWLEDGED, StepStatus.DONE, StepStatus.RETURNED)


class Step(UUIDModel):
    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(max_length=16, choices=StepKind.choices)
    status = models.CharField(max_length=16, choices=StepStatus.choices, default=StepStatus.SENT)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               help_text="the step this one was passed on from")
    batch = models.UUIDField(null=True, blank=True, db_index=True, help_text="a circular or a template run")
    order = models.IntegerField(default=0, help_text="position in a template run")
    # who sent it
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    sender = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    from_unit = models.ForeignKey(Unit, null=True, on_delete=models.PROTECT, related_name="+")
    sender_label = models.CharField(max_length=500, blank=True)
    # to whom: a unit, a position (resolved on the day) or a person
    to_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acting = models.BooleanField(default=False, help_text="to_person acts in to_position (รักษาการแทน)")
    to_label = models.CharField(max_length=500)
    instruction = models.TextField(blank=True)
    working_days = models.IntegerField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # seen, apart from acted on
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    acted_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acted_acting = models.BooleanField(default=False)
    result = models.TextField(blank=True, help_text="report of what was done, or the reason for returning")
    closed_at = models.DateTimeField(null=True, blank=True, help_text="returned or recalled")
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_unit__isnull=False) | models.Q(to_position__isnull=False)
                | models.Q(to_person__isnull=False), name="step_has_target"),
            # one open assignment of a letter per person: a double click cannot assign twice
            models.UniqueConstraint(fields=["letter", "to_person"], name="one_open_assignment_per_person",
                                    condition=models.Q(kind="assign", status__in=["sent", "opened", "acknowledged"])),
            models.UniqueConstraint(fields=["letter", "to_person", "batch"], name="one_circular_copy_per_person",
                                    condition=models.Q(kind="circular")),
        ]
        indexes = [models.Index(fields=["to_person", "status"]), models.Index(fields=["to_unit", "status"]),
                   models.Index(fields=["to_position", "status"]), models.Index(fields=["sender", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.to_label}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def kind_en(self) -> str:
        return KIND_EN.get(self.kind, self.kind)

    @property
    def status_en(self) -> str:
        return STATUS_EN.get(self.status, self.status)


class ReportFile(UUIDModel, FilePart):
    """A file attached to a completion report (the step's ``result``): what was done, with its enclosures."""

    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="report_files")
    pages = models.IntegerField(null=True, blank=True)
    added_by = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["step", "order"]

    def save(self, *args: object, **kwargs: object) -> None:
        self.role = FileRole.ENCLOSURE
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Endorsement(UUIDModel):
    """One เกษียน entry: append-only.  The typed name, position and server time stand for signature and
    date (Regulation No. 4); a later entry may *follow* it, nothing may change it."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="endorsements")
    step = models.ForeignKey(Step, null=True, blank=True, on_delete=models.PROTECT, related_name="endorsements")
    follows = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="followers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    typed_name = models.CharField(max_length=255)
    position_title = models.CharField(max_length=500, blank=True)
    acting_for = models.CharField(max_length=500, blank=True, help_text="รักษาการแทน … (empty if the holder)")
    text = models.TextField()
    target_label = models.CharField(max_length=500, blank=True, help_text="to whom the instruction goes")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise ValueError("endorsements are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        raise ValueError("endorsements are append-only")


class AnnexCopy(UUIDModel):
    """Which endorsements a presentation copy with an annex page carries (so the newest one is known)."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="+")
    file = models.OneToOneField(LetterFile, on_delete=models.PROTECT, related_name="+")
    last_endorsement = models.ForeignKey(Endorsement, on_delete=models.PROTECT, related_name="+")
    count = models.IntegerField()


class RouteTemplate(UUIDModel):
    """The usual path of a letter kind in a unit, defined by an administrator (no route is hard-coded)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="route_templates")
    kind = models.CharField(max_length=16, choices=LetterKind.choices, blank=True, help_text="blank: any kind")
    name = models.CharField(max_length=255)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["unit__path", "kind", "name"]


class RouteTemplateStep(UUIDModel):
    template = models.ForeignKey(RouteTemplate, on_delete=models.CASCADE, related_name="steps")
    order = models.IntegerField()
    kind = models.CharField(max_length=16, choices=StepKind.choices, default=StepKind.PROPOSE)
    to_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    instruction = models.CharField(max_length=500, blank=True)
    working_days = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "order"], name="unique_template_order")]


class Holiday(UUIDModel):
    """A day government offices are closed, besides Saturdays and Sundays."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", "วันหยุดราชการประจำปี"
        SUBSTITUTE = "substitute", "วันหยุดชดเชย"
        SPECIAL = "special", "วันหยุดราชการเพิ่มเป็นกรณีพิเศษ"
        LOCAL = "local", "วันหยุดที่ผู้ดูแลระบบกำหนด"

    day = models.DateField(unique=True)
    name_th = models.CharField(max_length=255)
    name_en = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OFFICIAL)
    source = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["day"]


class Notification(UUIDModel):
    """An in-app notice; e-mail and LINE copies go out through :class:`Outbound` rows."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notifications")
    letter = models.ForeignKey(Letter, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    step = models.ForeignKey(Step, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=32)
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["person", "read_at"])]


class NotifyPreference(UUIDModel):
    class Mode(models.TextChoices):
        EACH = "each", "แจ้งทุกครั้ง"
        DIGEST = "digest", "สรุปวันละครั้ง"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="notify_preference")
    email = models.BooleanField(default=False)
    line = models.BooleanField(default=False)
    line_user_id = models.CharField(max_length=64, blank=True)
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.EACH)
    digest_hour = models.IntegerField(default=7, help_text="hour (Bangkok) the daily digest goes out")
    last_digest_on = models.DateField(null=True, blank=True, help_text="Bangkok day the last digest went out")


class Outbound(UUIDModel):
    """A message to send by e-mail or LINE: written in the action's transaction, sent by the worker."""

    class Status(models.TextChoices):
        PENDING = "pending", "รอส่ง"
        SENT = "sent", "ส่งแล้ว"
        FAILED = "failed", "ส่งไม่สำเร็จ"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="outbound")
    channel = models.CharField(max_length=16)
    address = models.CharField(max_length=255)
    subject = models.CharField(max_length=500)
    body = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.IntegerField(default=0)
    last_error = models.CharField(max_length=1000, blank=True)
    provider_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    next_try_at = models.DateTimeField(null=True, blank=True, help_text="a failed attempt is tried again from then")


class LineLinkCode(UUIDModel):
    """A one-time code that links a person's LINE account: the person sends it to the agency's LINE Official
    Account, and the webhook (signed by LINE) tells us which LINE user sent it.  Only its digest is kept."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
