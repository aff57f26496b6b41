"""Requests and responses of /api/v1/routing."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from ninja import Schema
from pydantic import Field, model_validator

from saraban.routing.resolve import Target


class TargetIn(Schema):
    unit: str | None = None
    position: str | None = None
    person: str | None = Field(None, description="person id or username")

    @model_validator(mode="after")
    def one(self) -> TargetIn:
        if sum(1 for v in (self.unit, self.position, self.person) if v) != 1:
            raise ValueError("name exactly one of unit, position, person")
        return self

    def target(self) -> Target:
        return Target(unit=self.unit, position=self.position, person=self.person)


class DistributeIn(Schema):
    targets: list[TargetIn] = Field(..., min_length=1, max_length=200)
    instruction: str = Field("", max_length=4000)
    mode: Literal["distribute", "circular"] = "distribute"


class EndorseIn(Schema):
    text: str = Field(..., min_length=1, max_length=4000)
    step: uuid.UUID | None = None
    follows: uuid.UUID | None = None
    assign_to: list[TargetIn] = Field(default_factory=list, max_length=50)
    instruction: str = Field("", max_length=4000)
    working_days: int | None = Field(None, ge=1, le=365)
    due_date: dt.date | None = None


class AssignIn(Schema):
    targets: list[TargetIn] = Field(..., min_length=1, max_length=50)
    instruction: str = Field(..., min_length=1, max_length=4000)
    working_days: int | None = Field(None, ge=1, le=365)
    due_date: dt.date | None = None
    step: uuid.UUID | None = None


class NoteIn(Schema):
    note: str = Field("", max_length=4000)


class ReturnIn(Schema):
    reason: str = Field(..., max_length=1000)


class CopyIn(Schema):
    unit: str


class HolidayIn(Schema):
    day: dt.date
    name_th: str = Field(..., min_length=1, max_length=255)
    name_en: str = Field("", max_length=255)
    kind: Literal["official", "substitute", "special", "local"] = "local"


class TemplateStepIn(TargetIn):
    kind: Literal["propose", "distribute", "assign"] = "propose"
    instruction: str = Field("", max_length=500)
    working_days: int | None = Field(None, ge=1, le=365)


class TemplateIn(Schema):
    unit: str
    kind: str = ""
    name: str = Field(..., min_length=1, max_length=255)
    steps: list[TemplateStepIn] = Field(..., min_length=1, max_length=20)


class PreferencesIn(Schema):
    email: bool = False
    line: bool = False
    line_user_id: str = Field("", max_length=64)
    mode: Literal["each", "digest"] = "each"
    digest_hour: int = Field(7, ge=0, le=23)


# ---- responses ------------------------------------------------------------------------------------

WHEN = "date and time as Python prints it: YYYY-MM-DD HH:MM:SS[.ffffff]+00:00"


class StepOut(Schema):
    """One step of a letter's route: to whom it went, what they were asked, where it stands."""

    id: uuid.UUID
    letter_id: uuid.UUID
    kind: str = Field(description="propose, distribute, assign or circular")
    status: str
    to: str = Field(description="to whom, as shown")
    to_unit: str | None
    to_position: str | None
    to_person: uuid.UUID | None
    acting: bool = Field(description="the person acts in the position (รักษาการแทน)")
    from_: str = Field(alias="from", description="from whom, as shown")
    instruction: str
    working_days: int | None
    due_date: dt.date | None
    overdue: bool
    sent_at: str | None = Field(description=WHEN)
    opened_at: str | None = Field(description=WHEN)
    acknowledged_at: str | None = Field(description=WHEN)
    done_at: str | None = Field(description=WHEN)
    closed_at: str | None = Field(description=WHEN)
    result: str
    acted_acting: bool
    parent: uuid.UUID | None


class WorkOut(StepOut):
    subject: str
    urgency: str
    days_left: int | None


class FollowUpOut(StepOut):
    subject: str


class EndorsementOut(Schema):
    """An endorsement (เกษียน) as written, with who wrote it in which capacity."""

    id: uuid.UUID
    letter_id: uuid.UUID
    text: str
    typed_name: str
    position: str
    acting_for: str
    to: str
    follows: uuid.UUID | None
    step: uuid.UUID | None
    created_at: str = Field(description=WHEN)


class EndorsedOut(EndorsementOut):
    assigned: list[StepOut] = Field(description="the assignments made with it")


class CircularOut(Schema):
    total: int
    read: list[StepOut]
    unread: list[StepOut]


class TemplateRefOut(Schema):
    id: uuid.UUID
    name: str


class RouteOut(Schema):
    steps: list[StepOut]
    endorsements: list[EndorsementOut]
    circular: CircularOut | None
    templates: list[TemplateRefOut] = Field(description="route templates that fit the letter")


class HolidayOut(Schema):
    day: dt.date
    name_th: str
    name_en: str
    kind: str


class RemovedOut(Schema):
    removed: dt.date


class DueOut(Schema):
    start: dt.date
    days: int
    due: dt.date


class TemplateStepOut(Schema):
    order: int
    kind: str
    position: str | None
    unit: str | None
    instruction: str
    working_days: int | None


class RouteTemplateOut(Schema):
    id: uuid.UUID
    unit: str
    kind: str
    name: str
    steps: list[TemplateStepOut]


class SavedOut(Schema):
    id: uuid.UUID


class NotificationOut(Schema):
    id: uuid.UUID
    event: str
    title: str
    body: str
    url: str
    letter_id: uuid.UUID | None
    created_at: str = Field(description=WHEN)
    read_at: str | None = Field(description=WHEN)


class ReadOut(Schema):
    read: int = Field(description="how many were marked read")


class PreferencesOut(Schema):
    email: bool
    line: bool
    line_user_id: str
    mode: str
    digest_hour: int
