"""Reads, always for an acting user: nobody sees a record, candidate or alert out of scope.

Which records a user may see is `PersonRecord.objects.visible_to(user)`: a record is in scope
exactly when the case or report it came from is (vigil/linking/querysets.py; case management
registers those scopes). A caller may narrow it further with `visible` (a Q on PersonRecord, a
queryset of PersonRecord, or a callable taking the user and returning either); it can never widen
it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from vigil.audit.services import audit_denied
from vigil.linking import indexes, matching
from vigil.linking.models import (
    Alert,
    AlertStatus,
    LinkDecision,
    Person,
    PersonRecord,
    Verdict,
)
from vigil.linking.rules import can_review_alerts

VisibilityRule = Q | QuerySet[PersonRecord] | Callable[[Any], "Q | QuerySet[PersonRecord]"]

# How many records sharing a key are scored, at most, for one lookup.
CANDIDATE_POOL = 200
DEFAULT_MIN_PROBABILITY = 0.1


def visible_records(user: Any, visible: VisibilityRule | None = None) -> QuerySet[PersonRecord]:
    records = PersonRecord.objects.visible_to(user)
    rule: Any = visible
    if rule is None:
        return records
    if callable(rule) and not isinstance(rule, Q | QuerySet):
        rule = rule(user)
    if isinstance(rule, QuerySet):
        return records.filter(pk__in=rule.values("pk"))
    return records.filter(rule)


def record_get(
    *, record_id: UUID, user: Any, visible: VisibilityRule | None = None
) -> PersonRecord:
    """The record, or 404 (audited as denied) if it does not exist for this user."""
    record = visible_records(user, visible).filter(pk=record_id).first()
    if record is None:
        audit_denied(actor=user, target_type="linking.personrecord", target_id=record_id)
        raise Http404
    return record


def record_list(*, user: Any, visible: VisibilityRule | None = None) -> QuerySet[PersonRecord]:
    return visible_records(user, visible).select_related("person").order_by("-created_at")


@dataclass
class Candidate:
    record: PersonRecord
    score: matching.Score

    @property
    def probability(self) -> float:
        return self.score.probability

    @property
    def percent(self) -> int:
        """For people: a whole percentage, never 100 (a score is not proof)."""
        return min(99, round(self.score.probability * 100))


def _rejected_against(person_id: Any) -> QuerySet[LinkDecision]:
    return LinkDecision.objects.filter(verdict=Verdict.REJECTED, undone_at__isnull=True).filter(
        Q(record_a__person_id=person_id) | Q(record_b__person_id=person_id)
    )


def candidate_pool(
    *, record: PersonRecord, user: Any, visible: VisibilityRule | None = None
) -> QuerySet[PersonRecord] | None:
    """Records sharing a blocking key with this one, most shared keys first (not yet scored)."""
    lookup = indexes.digests(record.identifiers, key_ids=[k for k, _ in indexes.index_keys()])
    if not lookup:
        return None
    rejected = _rejected_against(record.person_id)
    excluded = {d.record_a_id for d in rejected} | {d.record_b_id for d in rejected}
    return (
        visible_records(user, visible)
        .filter(keys__digest__in=lookup)
        .exclude(person_id=record.person_id)
        .exclude(pk__in=excluded)
        .annotate(hits=Count("keys"))
        .order_by("-hits", "-created_at")[:CANDIDATE_POOL]
    )


def candidates_for(
    *,
    record: PersonRecord,
    user: Any,
    visible: VisibilityRule | None = None,
    limit: int = 20,
    min_probability: float = DEFAULT_MIN_PROBABILITY,
) -> list[Candidate]:
    """Records that may be the same person, best first, each with a score and its reasons.

    Found through blocking keys (exact lookups on keyed hashes), then scored; a record that
    shares a phone, email, account or vehicle is always shown, however low its score. Leaves out
    records the user may not see, records already part of the same person, and records a
    member of staff has said are not this person.
    """
    pool = candidate_pool(record=record, user=user, visible=visible)
    if pool is None:
        return []
    found = [
        Candidate(other, matching.score(record.identifiers, other.identifiers)) for other in pool
    ]
    found = [c for c in found if c.probability >= min_probability or c.score.shares_an_identifier]
    found.sort(key=lambda c: (-c.score.weight, str(c.record.pk)))
    return found[:limit]


def person_records(
    *, person: Person, user: Any, visible: VisibilityRule | None = None
) -> QuerySet[PersonRecord]:
    """The records of one person that this user may see (others stay hidden, not counted)."""
    return visible_records(user, visible).filter(person=person).order_by("created_at")


def decision_list(
    *, user: Any, record: PersonRecord | None = None, visible: VisibilityRule | None = None
) -> QuerySet[LinkDecision]:
    """Decisions where the user may see both records."""
    seen = visible_records(user, visible).values("pk")
    decisions = LinkDecision.objects.filter(record_a__in=seen, record_b__in=seen)
    if record is not None:
        decisions = decisions.filter(Q(record_a=record) | Q(record_b=record))
    return decisions.select_related("record_a", "record_b", "decided_by", "undone_by")


def decision_get(
    *, decision_id: UUID, user: Any, visible: VisibilityRule | None = None
) -> LinkDecision:
    decision = decision_list(user=user, visible=visible).filter(pk=decision_id).first()
    if decision is None:
        raise Http404
    return decision


def alert_list(
    *, user: Any, visible: VisibilityRule | None = None, status: str | None = AlertStatus.OPEN
) -> QuerySet[Alert]:
    """Coordinators see every alert; an officer sees those about people in their records."""
    alerts = Alert.objects.all()
    if status:
        alerts = alerts.filter(status=status)
    if not can_review_alerts(user):
        persons = visible_records(user, visible).values("person_id")
        alerts = alerts.filter(person_id__in=persons)
    return alerts.select_related("person")


def alert_get(*, alert_id: UUID, user: Any, visible: VisibilityRule | None = None) -> Alert:
    alert = alert_list(user=user, visible=visible, status=None).filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    return alert
