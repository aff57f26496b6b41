"""Agencies, units, positions, people, clearance, roles and acting delegation."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from saraban.kernel.models import UUIDModel


class Clearance(models.IntegerChoices):
    NONE = 0, "ไม่มีสิทธิ์เข้าถึงชั้นความลับ"
    CONFIDENTIAL = 1, "ลับ"
    SECRET = 2, "ลับมาก"
    TOP_SECRET = 3, "ลับที่สุด"


class DigitStyle(models.TextChoices):
    ARABIC = "arabic", "เลขอารบิก"
    THAI = "thai", "เลขไทย"


class Agency(UUIDModel):
    """A ส่วนราชการ: a ministry, department, office, state enterprise or committee."""

    code = models.SlugField(max_length=64, unique=True, help_text="organisation code used by the API and SBX")
    name_th = models.CharField(max_length=255)
    name_en = models.CharField(max_length=255, blank=True)
    short_name_th = models.CharField(max_length=64, blank=True)
    stamp_name = models.CharField(max_length=128, blank=True, help_text="name on the receipt stamp (blank: name_th)")
    letter_code = models.CharField(max_length=16, help_text="รหัสตัวพยัญชนะ เช่น ดศ (no full stop)")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    address_th = models.TextField(blank=True)
    central_email = models.EmailField(blank=True)
    digit_style = models.CharField(max_length=8, choices=DigitStyle.choices, default=DigitStyle.ARABIC)
    hosted = models.BooleanField(default=True, help_text="runs on this deployment")
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name_th"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name_th


class Unit(UUIDModel):
    """A unit in an agency's tree; a numbering unit carries a letter code and unit number (ดศ 0201)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    code = models.SlugField(max_length=64, unique=True)
    name_th = models.CharField(max_length=255)
    name_en = models.CharField(max_length=255, blank=True)
    short_name_th = models.CharField(max_length=64, blank=True)
    letter_code = models.CharField(max_length=16, blank=True, help_text="blank: the agency's letter code")
    unit_number = models.CharField(max_length=32, blank=True, help_text="เลขประจำหน่วยงาน เช่น 0201 หรือ 0201.2")
    unit_number_is_demo = models.BooleanField(
        default=False, help_text="a demo value that an administrator must replace with the Appendix 1 number"
    )
    issues_numbers = models.BooleanField(default=False, help_text="may issue outgoing numbers")
    keeps_register = models.BooleanField(default=True, help_text="keeps its own receiving register")
    phone = models.CharField(max_length=64, blank=True)
    email = models.EmailField(blank=True)
    path = models.CharField(max_length=1024, db_index=True, editable=False, default="")
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name_th

    @property
    def effective_letter_code(self) -> str:
        return self.letter_code or self.agency.letter_code

    @property
    def ref_prefix(self) -> str:
        """``ดศ 0201``: letter code and unit number for the ที่ of outgoing letters."""
        return f"{self.effective_letter_code} {self.unit_number}".strip()

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id and self.parent else "/"
        return f"{prefix}{self.code}/"

    def save(self, *args: object, **kwargs: object) -> None:
        self.path = self.compute_path()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def numbering_unit(self) -> Unit | None:
        """This unit if it issues numbers, else its nearest ancestor that does."""
        unit: Unit | None = self
        while unit is not None:
            if unit.issues_numbers:
                return unit
            unit = unit.parent
        return None


class Position(UUIDModel):
    """A position (ตำแหน่ง) in a unit; work is routed to positions."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="positions")
    code = models.SlugField(max_length=64, unique=True)
    title_th = models.CharField(max_length=255)
    title_en = models.CharField(max_length=255, blank=True)
    is_head = models.BooleanField(default=False, help_text="head of the unit")

    class Meta:
        ordering = ["-is_head", "title_th"]

    def __str__(self) -> str:
        return self.title_th

    def holders_on(self, day: dt.date) -> models.QuerySet[PositionHolding]:
        return self.holdings.filter(start__lte=day).filter(models.Q(end__isnull=True) | models.Q(end__gte=day))


class Person(UUIDModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="person"
    )
    prefix_th = models.CharField(max_length=64, blank=True, help_text="คำนำหน้า เช่น นาย นาง นางสาว")
    first_name_th = models.CharField(max_length=128)
    last_name_th = models.CharField(max_length=128)
    name_en = models.CharField(max_length=255, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=64, blank=True)
    home_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="people")
    clearance = models.IntegerField(choices=Clearance.choices, default=Clearance.NONE)
    identity_verified = models.BooleanField(
        default=False, help_text="identity checked, so a typed name may stand for a signature (No. 4)"
    )

    class Meta:
        ordering = ["first_name_th", "last_name_th"]

    def __str__(self) -> str:
        return self.full_name_th

    @property
    def full_name_th(self) -> str:
        return f"{self.prefix_th}{self.first_name_th} {self.last_name_th}".strip()


class PositionHolding(UUIDModel):
    """A person holds a position, or acts in it (รักษาการแทน) for a period."""

    class Kind(models.TextChoices):
        HOLDER = "holder", "ดำรงตำแหน่ง"
        ACTING = "acting", "รักษาการแทน"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="holdings")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="holdings")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.HOLDER)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    order_ref = models.CharField(max_length=255, blank=True, help_text="the order appointing the acting officer")

    class Meta:
        ordering = ["position", "kind", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="holding_end_after_start",
            )
        ]


class Role(models.TextChoices):
    ADMIN = "admin", "ผู้ดูแลระบบของหน่วยงาน"
    REGISTRAR = "registrar", "เจ้าหน้าที่สารบรรณ"
    SECRET_REGISTRAR = "secret_registrar", "นายทะเบียนหนังสือลับ"
    EXECUTIVE = "executive", "ผู้บริหาร"
    OFFICER = "officer", "ผู้ปฏิบัติงาน"
    RECORDS = "records", "เจ้าหน้าที่เก็บรักษาหนังสือ"


class RoleGrant(UUIDModel):
    """What a person may do in a unit (and, by default, in the units below it)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="role_grants")
    role = models.CharField(max_length=32, choices=Role.choices)
    include_subunits = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "unit", "role"], name="unique_role_grant")]


class Delegation(UUIDModel):
    """Authority delegated by an order (มอบอำนาจ): the delegate signs ปฏิบัติราชการแทน the principal position,
    within the order's scope and period."""

    principal = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="delegations",
                                  help_text="the position whose authority is delegated (ผู้มอบอำนาจ)")
    delegate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="delegations",
                                 help_text="who signs under the delegated authority (ผู้รับมอบอำนาจ)")
    order_ref = models.CharField(max_length=255, help_text="the delegating order, e.g. คำสั่ง สป.ดศ. ที่ 12/2569")
    scope = models.TextField(help_text="what the delegate may sign, as the order says")
    kinds = models.CharField(max_length=255, blank=True,
                             help_text="letter kinds covered, comma-separated (external,memo…); blank: every kind")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    revoked = models.DateField(null=True, blank=True, help_text="ended early by a later order")

    class Meta:
        ordering = ["principal", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                                   name="delegation_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.delegate} ปฏิบัติราชการแทน {self.principal} ({self.order_ref})"

    @property
    def kind_list(self) -> list[str]:
        return [k.strip() for k in self.kinds.split(",") if k.strip()]

    def in_force(self, day: dt.date) -> bool:
        """Whether the order is in force on ``day`` (from its start to its end, unless revoked before)."""
        if day < self.start or (self.end is not None and day > self.end):
            return False
        return self.revoked is None or day < self.revoked

    def covers(self, kind: str) -> bool:
        return not self.kind_list or kind in self.kind_list


class EmblemSettings(UUIDModel):
    """An agency's emblem files for its letters (regulation.md §4): the Garuda for every Garuda-paper
    letter, and optionally its own seal for the centre of the seal on stamped letters; with the sizes
    and the distance from the top edge.  Files are stored cleaned (:func:`saraban.letterpress.emblem.validate`)."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="emblem_settings")
    garuda = models.BinaryField(null=True, blank=True, editable=False)
    garuda_type = models.CharField(max_length=32, blank=True)
    garuda_sha256 = models.CharField(max_length=64, blank=True)
    garuda_name = models.CharField(max_length=255, blank=True)
    seal = models.BinaryField(null=True, blank=True, editable=False)
    seal_type = models.CharField(max_length=32, blank=True)
    seal_sha256 = models.CharField(max_length=64, blank=True)
    seal_name = models.CharField(max_length=255, blank=True)
    garuda_mm = models.PositiveSmallIntegerField(default=30, help_text="height on Garuda paper (25–35 mm)")
    memo_mm = models.PositiveSmallIntegerField(default=15, help_text="height on memo paper (12–20 mm)")
    top_mm = models.PositiveSmallIntegerField(default=15, help_text="distance from the top edge (10–20 mm)")
    placeholder = models.BooleanField(
        default=False, help_text="a demo or test agency: its letters may print the placeholder (ตราครุฑ ตัวอย่าง)")
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    def __str__(self) -> str:
        return f"emblems of {self.agency}"
