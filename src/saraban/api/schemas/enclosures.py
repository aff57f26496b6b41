"""Shapes of the enclosure endpoints (a draft's files) and the parts of a whole letter."""

from __future__ import annotations

import uuid

from ninja import Field, Schema


class PartOut(Schema):
    """A file of a draft or a completion report: an enclosure with its สิ่งที่ส่งมาด้วย line and place."""

    id: uuid.UUID
    role: str = Field(description="enclosure")
    name: str = Field(description="the file's original name")
    title: str = Field(description="the สิ่งที่ส่งมาด้วย line")
    order: int = Field(description="1, 2, … in the order the lines print")
    sha256: str
    size: int
    content_type: str
    pages: int | None
    url: str


class EnclosuresArrangeIn(Schema):
    order: list[uuid.UUID] | None = Field(None, description="every enclosure id once, in the new order")
    titles: dict[str, str] = Field(default_factory=dict, description="enclosure id → สิ่งที่ส่งมาด้วย line")
