"""Reads for the dashboard, given the viewer: figures, trends and the cases behind a figure.

Every number starts from `Case.objects.visible_to(user)`, so a figure can never count a case the
viewer could not open. Figures for viewers who see the whole force are kept as a snapshot
(FigureSnapshot) and shared, so the page stays under a second on a force's whole history; the
page shows how old they are, and `manage.py insights_sweep` refreshes them.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import Team, User
from vigil.audit.services import audit_record
from vigil.cases.models import STALKING_CLASSIFICATIONS, Case
from vigil.cases.querysets import Reach, case_reach
from vigil.insights import figures as f
from vigil.insights.models import Area, FigureSnapshot
from vigil.insights.sources import LONDON, source_get

WEEK = "week"
MONTH = "month"


@dataclass(frozen=True)
class Filters:
    start: datetime.date
    end: datetime.date  # excluded
    team: Team | None = None
    area: Area | None = None
    trend: str = WEEK

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    @property
    def previous(self) -> tuple[datetime.date, datetime.date]:
        """The period of the same length just before."""
        return self.start - (self.end - self.start), self.start

    def snapshot_key(self) -> str:
        parts = [
            self.start.isoformat(),
            self.end.isoformat(),
            str(self.team.pk) if self.team else "",
            str(self.area.pk) if self.area else "",
        ]
        return "all:" + "|".join(parts)


def scoped_cases(*, user: User, filters: Filters) -> QuerySet[Case]:
    cases = Case.objects.visible_to(user).order_by()
    if filters.team is not None:
        cases = cases.filter(team=filters.team)
    if filters.area is not None:
        cases = cases.filter(team__in=filters.area.teams.values("pk"))
    return cases


# --- values: JSON-safe, so a snapshot can hold them ------------------------------------------


def _encode(shape: str, value: Any) -> Any:
    if value is None:
        return None
    if shape == f.RATIO:
        part, total = value
        return [int(part), int(total)]
    if shape == f.DURATION:
        median, n = value
        return [median.total_seconds() if median is not None else None, int(n)]
    if shape == f.BREAKDOWN:
        return {str(k): int(v) for k, v in dict(value).items()}
    return int(value)


@dataclass(frozen=True)
class Row:
    key: str
    label: Any
    current: int | float | None
    previous: int | float | None
    # For ratios: the share of the total, in whole per cent.
    percent: int | None = None
    previous_percent: int | None = None

    @property
    def change(self) -> int | float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


@dataclass(frozen=True)
class FigureResult:
    figure: f.FigureDef
    current: Any  # encoded value, None when not recorded
    previous: Any

    @property
    def recorded(self) -> bool:
        return self.current is not None

    @property
    def drillable(self) -> bool:
        source = source_get(self.figure.source)
        return bool(source and source.drill)

    def rows(self) -> list[Row]:
        figure, now, before = self.figure, self.current, self.previous
        if now is None:
            return []
        if figure.shape == f.COUNT:
            return [Row("total", figure.title, now, before if figure.compares else None)]
        if figure.shape == f.RATIO:
            labels = dict(figure.rows)
            result = []
            for key, index in (("part", 0), ("rest", None)):
                value = now[0] if index == 0 else now[1] - now[0]
                old = None
                if before is not None and figure.compares:
                    old = before[0] if index == 0 else before[1] - before[0]
                result.append(
                    Row(
                        key,
                        labels.get(key, key),
                        value,
                        old,
                        _percent(value, now[1]),
                        _percent(old, before[1]) if old is not None else None,
                    )
                )
            return result
        if figure.shape == f.DURATION:
            return [
                Row(
                    "median_hours",
                    figure.title,
                    _hours(now[0]),
                    _hours(before[0]) if before is not None else None,
                ),
                Row("total", _count_label(), now[1], before[1] if before is not None else None),
            ]
        labels = dict(figure.rows)
        return [
            Row(key, labels.get(key, key), now.get(key, 0), (before or {}).get(key))
            for key in [*labels, *(k for k in now if k not in labels)]
        ]


def _count_label() -> Any:
    return _("Cases counted")


def _percent(part: int | None, total: int | None) -> int | None:
    if part is None or not total:
        return None
    return round(100 * part / total)


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 1)


@dataclass(frozen=True)
class TrendBucket:
    start: datetime.date
    label: str
    opened: int
    stalking: int


@dataclass
class Dashboard:
    filters: Filters
    results: list[FigureResult]
    trend: list[TrendBucket]
    computed_at: datetime.datetime
    from_snapshot: bool = False
    by_key: dict[str, FigureResult] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_key = {r.figure.key: r for r in self.results}

    @property
    def age_minutes(self) -> int:
        return int((timezone.now() - self.computed_at).total_seconds() // 60)


def _compute_value(figure: f.FigureDef, cases: QuerySet[Case], start: Any, end: Any) -> Any:
    source = source_get(figure.source)
    if source is None:
        return None
    return _encode(figure.shape, source.compute(cases, start, end))


def _buckets(filters: Filters, trend: str) -> list[datetime.date]:
    if trend == MONTH:
        day = filters.start.replace(day=1)
    else:
        day = filters.start - datetime.timedelta(days=filters.start.weekday())
    result = []
    while day < filters.end:
        result.append(day)
        if trend == MONTH:
            day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        else:
            day += datetime.timedelta(days=7)
    return result


def _trend(cases: QuerySet[Case], filters: Filters, trend: str) -> list[dict[str, Any]]:
    trunc = TruncMonth if trend == MONTH else TruncWeek
    stalking = Q(principal_classification__in=list(STALKING_CLASSIFICATIONS)) | Q(
        included__classification__in=list(STALKING_CLASSIFICATIONS)
    )
    counted = {
        row["bucket"].date() if isinstance(row["bucket"], datetime.datetime) else row["bucket"]: row
        for row in f.opened_in(cases, filters.start, filters.end)
        .annotate(bucket=trunc("opened_at", tzinfo=LONDON))
        .values("bucket")
        .annotate(
            opened=Count("pk", distinct=True), stalking=Count("pk", filter=stalking, distinct=True)
        )
    }
    return [
        {
            "start": day.isoformat(),
            "opened": counted[day]["opened"] if day in counted else 0,
            "stalking": counted[day]["stalking"] if day in counted else 0,
        }
        for day in _buckets(filters, trend)
    ]


def _compute(cases: QuerySet[Case], filters: Filters) -> dict[str, Any]:
    before_start, before_end = filters.previous
    figures = {}
    for figure in f.FIGURES:
        current = _compute_value(figure, cases, filters.start, filters.end)
        previous = None
        if current is not None and figure.compares:
            previous = _compute_value(figure, cases, before_start, before_end)
        figures[figure.key] = {"current": current, "previous": previous}
    # Both granularities, so switching between weeks and months needs no new snapshot.
    return {"figures": figures, "trend": {t: _trend(cases, filters, t) for t in (WEEK, MONTH)}}


def _bucket_label(day: datetime.date, trend: str) -> str:
    if trend == MONTH:
        return date_format(day, "M Y")
    return date_format(day, "j M Y")


def _dashboard_from(
    filters: Filters, data: dict[str, Any], at: datetime.datetime, snap: bool
) -> Dashboard:
    results = []
    for figure in f.FIGURES:
        stored = data["figures"].get(figure.key, {})
        # A source registered since the snapshot was taken shows once it is refreshed; one no
        # longer registered is not shown as if it were still counted.
        recorded = source_get(figure.source) is not None
        results.append(
            FigureResult(
                figure,
                stored.get("current") if recorded else None,
                stored.get("previous") if recorded else None,
            )
        )
    trend = [
        TrendBucket(
            datetime.date.fromisoformat(b["start"]),
            _bucket_label(datetime.date.fromisoformat(b["start"]), filters.trend),
            b["opened"],
            b["stalking"],
        )
        for b in data["trend"][filters.trend]
    ]
    return Dashboard(filters, results, trend, at, from_snapshot=snap)


def _sources_digest() -> str:
    keys = sorted(fig.source for fig in f.FIGURES if source_get(fig.source) is not None)
    return hashlib.sha256(json.dumps(keys).encode()).hexdigest()[:12]


def snapshot_refresh(*, filters: Filters, user: User) -> FigureSnapshot:
    """Work out the figures again for viewers who see the whole force, and keep them."""
    data = _compute(scoped_cases(user=user, filters=filters), filters)
    data["sources"] = _sources_digest()
    snapshot, _created = FigureSnapshot.objects.update_or_create(
        key=filters.snapshot_key(), defaults={"computed_at": timezone.now(), "data": data}
    )
    return snapshot


def dashboard(*, user: User, filters: Filters) -> Dashboard:
    cases = scoped_cases(user=user, filters=filters)
    if case_reach(user) is not Reach.ALL:
        # A narrower scope is its own set of numbers, and smaller: worked out each time.
        return _dashboard_from(filters, _compute(cases, filters), timezone.now(), False)
    max_age = datetime.timedelta(minutes=settings.INSIGHTS_SNAPSHOT_MAX_AGE_MINUTES)
    snapshot = FigureSnapshot.objects.filter(key=filters.snapshot_key()).first()
    fresh = (
        snapshot is not None
        and timezone.now() - snapshot.computed_at <= max_age
        and snapshot.data.get("sources") == _sources_digest()
        and isinstance(snapshot.data.get("trend"), dict)
    )
    if not fresh:
        snapshot = snapshot_refresh(filters=filters, user=user)
    assert snapshot is not None
    return _dashboard_from(filters, snapshot.data, snapshot.computed_at, True)


def drill_cases(*, user: User, filters: Filters, figure: f.FigureDef, row: str) -> QuerySet[Case]:
    """The cases behind one number, within the viewer's scope (the source is handed the
    scoped cases, and the result is narrowed to them again in case a source forgets)."""
    source = source_get(figure.source)
    if source is None or source.drill is None:
        return Case.objects.none()
    cases = scoped_cases(user=user, filters=filters)
    found = source.drill(cases, filters.start, filters.end, row)
    audit_record(
        action="insights.drill",
        actor=user,
        summary={
            "figure": figure.key,
            "row": row,
            "start": filters.start.isoformat(),
            "end": filters.end.isoformat(),
            "team": str(filters.team.pk) if filters.team else "",
            "area": str(filters.area.pk) if filters.area else "",
        },
    )
    return (
        cases.filter(pk__in=found.values("pk"))
        .select_related("officer", "team")
        .order_by("-opened_at")
    )


def areas() -> QuerySet[Area]:
    return Area.objects.all()


def teams() -> QuerySet[Team]:
    return Team.objects.filter(agency__kind="police").select_related("agency")
