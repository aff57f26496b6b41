"""Shapes of /api/v1/search: the query's filters, ranked letters with highlighted snippets, saved searches."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema


class SearchQuery(Schema):
    q: str = Field("", max_length=200, description="words to find (Thai or Latin, Thai or Arabic digits); "
                   "\"quoted\" keeps a phrase whole; every term must match")
    kind: str = ""
    urgency: str = ""
    secrecy: str = ""
    direction: str = Field("", description="incoming or outgoing")
    date_from: str = Field("", description="ลงวันที่ from: 5/1/2569, 2026-01-05, 5 ม.ค. 69")
    date_to: str = ""
    unit: str = Field("", description="a unit's code: registering unit, or one that registered it in its book")
    book: str = Field("", description="register book kind (received, sent, circular, …)")
    year: int | None = Field(None, description="B.E. year of a registration")
    status: str = ""
    has_enclosures: bool | None = None
    assigned_to_me: bool = False
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1000)
    facets: bool = False


class SnippetPart(Schema):
    text: str
    hit: bool = Field(description="this part matched the query (highlight it)")


class SearchHitOut(Schema):
    id: uuid.UUID
    letter_uuid: uuid.UUID
    registration: str = Field(description="the first registration's number (or the letter's ที่)")
    their_ref: str
    subject: str
    sender: str
    kind: str
    urgency: str
    secrecy: str
    status: str
    direction: str
    letter_date: dt.date | None
    rank: int
    snippet: list[SnippetPart]
    url: str


class SearchOut(Schema):
    query: str
    terms: list[str]
    total: int
    total_capped: bool = Field(description="more letters matched than counted (total is the cap)")
    took_ms: float
    hits: list[SearchHitOut]
    facets: dict[str, dict[str, int]]


class SavedSearchIn(Schema):
    name: str = Field(max_length=100)
    query: dict[str, str]


class SavedSearchOut(Schema):
    id: int
    name: str
    query: dict[str, str]
    created_at: dt.datetime


class SavedSearchRemovedOut(Schema):
    removed: int = Field(description="the id of the saved search forgotten")
