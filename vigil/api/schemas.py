"""What the API answers with. UUIDs only: no internal number ever appears."""

from __future__ import annotations

import datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field


class CaseOut(Schema):
    """A case. Fields not shared with the calling client's agency are absent, not empty: a
    partner's system is given `id` and `reference`, and the rest as its referral shares
    (vigil.sharing.parts)."""

    id: UUID
    reference: str
    status: str | None = None
    principal_classification: str | None = None
    risk_level: str | None = None
    opened_at: datetime.datetime | None = None
    last_activity_at: datetime.datetime | None = None
    closed_at: datetime.datetime | None = None
    outcome: str | None = None
    title: str | None = None
    outcome_reason: str | None = None
    officer: str | None = None
    team: str | None = None
    response_due_at: datetime.datetime | None = None
    first_contact_at: datetime.datetime | None = None


class Page(Schema):
    next: str | None = Field(description="The next page's address, or null on the last page")
    previous: str | None


class CasePage(Page):
    results: list[CaseOut]


class TimelineEntryOut(Schema):
    id: UUID
    kind: str
    occurred_at: datetime.datetime
    title: str
    detail: str


class TimelinePage(Page):
    results: list[TimelineEntryOut]


class MessageOut(Schema):
    id: UUID
    victim_id: UUID
    channel: str
    direction: str
    at: datetime.datetime
    body: str


class MessagePage(Page):
    results: list[MessageOut]


class MessageIn(Schema):
    victim_id: UUID
    channel: str = Field(description="email, text or online_report", max_length=20)
    body: str = Field(min_length=1, max_length=5000)


class RiskOut(Schema):
    level: str = Field(description="standard, medium, high, or empty when not assessed")
    tool: str | None = None
    assessed_at: datetime.datetime | None = None
    review_due: datetime.date | None = None


class ActionOut(Schema):
    id: UUID
    title: str
    status: str
    due_on: datetime.date | None
    completed_at: datetime.datetime | None


class ActionPatch(Schema):
    status: str = Field(description="open, done or cancelled", max_length=20)


class LinkCandidateOut(Schema):
    record_id: UUID = Field(description="The case's own record of a suspect")
    candidate_id: UUID = Field(description="A record that may be the same person")
    percent: int = Field(description="How likely, never 100: a score is not proof")
    shares_an_identifier: bool
    agreed: list[str] = Field(description="Kinds that agree, e.g. phone, name; never values")
    differed: list[str]


class LinkCandidateList(Schema):
    results: list[LinkCandidateOut]
