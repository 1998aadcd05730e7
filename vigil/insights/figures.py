"""The dashboard's figures: what each one counts, in one line a coordinator can read, and the
functions that count the figures whose records live in case management and risk.

Every function takes the viewer's scoped cases (vigil/cases/querysets.py, already narrowed to a
team or area) and a period whose end is excluded (see vigil/insights/sources.py). Each counts
with the database, never by loading cases, so a force's whole history stays fast.

Words used in the definitions:
- "opened in the period": the case was opened on or after the first day and before the day after
  the last.
- "active in the period": opened before the period ended and not closed before it began, so a
  case that crosses the start or the end is counted.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vigil.cases.models import (
    STALKING_CLASSIFICATIONS,
    ActionStatus,
    Case,
    CaseAction,
    CaseIdentifier,
    CaseOutcome,
    CourseOfConductDecision,
    CourseOfConductOutcome,
    Incident,
    IncludedClassification,
    PersonRole,
    Triage,
    VictimsCodeDuty,
)
from vigil.insights.sources import LONDON, period_bounds, register_source
from vigil.risk.models import JudgementKind, JudgementReview, ReviewStatus, RiskAssessment
from vigil.risk.prompts import STALKING_TOOL

COUNT = "count"
RATIO = "ratio"
BREAKDOWN = "breakdown"
DURATION = "duration"

Cases = QuerySet[Case]


@dataclass(frozen=True)
class FigureDef:
    key: str
    source: str
    shape: str
    title: Promise
    definition: Promise
    # Row key -> label, in order (breakdowns); ratios use "part" and "rest".
    rows: tuple[tuple[str, Promise], ...] = ()
    # False for a figure that is a count as it stands today (comparing periods means nothing).
    compares: bool = True
    # A ratio or breakdown where a higher number is better is not assumed: the table shows
    # the change and leaves the judgement to the reader.


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    return period_bounds(start, end)


def opened_in(cases: Cases, start: datetime.date, end: datetime.date) -> Cases:
    since, until = _bounds(start, end)
    return cases.filter(opened_at__gte=since, opened_at__lt=until)


def active_in(cases: Cases, start: datetime.date, end: datetime.date) -> Cases:
    since, until = _bounds(start, end)
    return cases.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=since), opened_at__lt=until)


def _pks(cases: Cases) -> Any:
    return cases.values("pk")


def _of_cases(rows: QuerySet[Any], cases: Cases) -> QuerySet[Any]:
    """Rows that belong to `cases`. When the scope is the whole force (nothing filtered), the
    join is left out: it cost a pass over every case for nothing."""
    if not cases.query.where:
        return rows
    return rows.filter(case__in=_pks(cases))


# --- reports received ---------------------------------------------------------------------------


def _triages_received(cases: Cases, start: datetime.date, end: datetime.date) -> QuerySet[Triage]:
    since, until = _bounds(start, end)
    return Triage.objects.filter(case__in=_pks(cases)).filter(
        Q(report__received_at__gte=since, report__received_at__lt=until)
        | Q(phone_report__received_at__gte=since, phone_report__received_at__lt=until)
    )


def reports_by_channel(cases: Cases, start: datetime.date, end: datetime.date) -> dict[str, int]:
    counts = _triages_received(cases, start, end).aggregate(
        online=Count("pk", filter=Q(report__isnull=False)),
        phone=Count("pk", filter=Q(report__isnull=True)),
    )
    return {"online": counts["online"], "phone": counts["phone"]}


def reports_by_channel_cases(
    cases: Cases, start: datetime.date, end: datetime.date, row: str
) -> Cases:
    triages = _triages_received(cases, start, end)
    if row == "online":
        triages = triages.filter(report__isnull=False)
    elif row == "phone":
        triages = triages.filter(report__isnull=True)
    return cases.filter(pk__in=triages.values("case_id"))


# --- first response -----------------------------------------------------------------------------


def _response_decided(cases: Cases, start: datetime.date, end: datetime.date) -> Cases:
    # A response still within its time cannot be judged yet; it is left out, not counted late.
    return (
        opened_in(cases, start, end)
        .filter(response_due_at__isnull=False)
        .filter(Q(first_contact_at__isnull=False) | Q(response_due_at__lt=timezone.now()))
    )


def _response_in_time_q() -> Q:
    return Q(first_contact_at__isnull=False, first_contact_at__lte=F("response_due_at"))


def response_in_time(cases: Cases, start: datetime.date, end: datetime.date) -> tuple[int, int]:
    counts = _response_decided(cases, start, end).aggregate(
        part=Count("pk", filter=_response_in_time_q()), total=Count("pk")
    )
    return counts["part"], counts["total"]


def response_in_time_cases(
    cases: Cases, start: datetime.date, end: datetime.date, row: str
) -> Cases:
    decided = _response_decided(cases, start, end)
    if row == "part":
        return decided.filter(_response_in_time_q())
    if row == "rest":
        return decided.exclude(_response_in_time_q())
    return decided


class _Median(Aggregate):
    """PostgreSQL's median; SQLite has none, so it is worked out in Python there."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def _first_contacted(cases: Cases, start: datetime.date, end: datetime.date) -> Cases:
    return opened_in(cases, start, end).filter(first_contact_at__isnull=False)


def time_to_first_contact(
    cases: Cases, start: datetime.date, end: datetime.date
) -> tuple[datetime.timedelta | None, int]:
    contacted = _first_contacted(cases, start, end)
    wait = ExpressionWrapper(F("first_contact_at") - F("opened_at"), output_field=DurationField())
    if connection.vendor == "postgresql":
        result = contacted.aggregate(
            median=_Median(wait, output_field=DurationField()), n=Count("pk")
        )
        return result["median"], result["n"]
    waits = sorted(
        b - a for a, b in contacted.values_list("opened_at", "first_contact_at") if b is not None
    )
    if not waits:
        return None, 0
    middle = len(waits) // 2
    if len(waits) % 2:
        return waits[middle], len(waits)
    return (waits[middle - 1] + waits[middle]) / 2, len(waits)


def time_to_first_contact_cases(
    cases: Cases, start: datetime.date, end: datetime.date, row: str
) -> Cases:
    return _first_contacted(cases, start, end)


# --- risk ----------------------------------------------------------------------------------------

RISK_ROWS = (
    ("high", _("High")),
    ("medium", _("Medium")),
    ("standard", _("Standard")),
    ("not_assessed", _("Not assessed")),
)


def _risk_value(row: str) -> str:
    return "" if row == "not_assessed" else row


def cases_by_risk(cases: Cases, start: datetime.date, end: datetime.date) -> dict[str, int]:
    counted = dict(
        active_in(cases, start, end)
        .order_by()
        .values_list("risk_level")
        .annotate(n=Count("pk"))
        .values_list("risk_level", "n")
    )
    return {key: counted.get(_risk_value(key), 0) for key, _label in RISK_ROWS}


def cases_by_risk_cases(cases: Cases, start: datetime.date, end: datetime.date, row: str) -> Cases:
    active = active_in(cases, start, end)
    if row in dict(RISK_ROWS):
        return active.filter(risk_level=_risk_value(row))
    return active


def _prompted_for_screening(cases: Cases, start: datetime.date, end: datetime.date) -> Cases:
    # The prompt rule (vigil/risk/prompts.py): two or more incidents ask for an S-DASH.
    # Counted in one grouped pass over the period's incidents (a lookup per case took seconds
    # on a force's whole history).
    opened = opened_in(cases, start, end)
    twice = (
        Incident.objects.filter(case__in=_pks(opened))
        .order_by()
        .values("case_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .values("case_id")
    )
    return opened.filter(pk__in=twice)


def _screened() -> Exists:
    return Exists(RiskAssessment.objects.filter(case=OuterRef("pk"), tool__code=STALKING_TOOL))


def sdash_where_prompted(cases: Cases, start: datetime.date, end: datetime.date) -> tuple[int, int]:
    counts = _prompted_for_screening(cases, start, end).aggregate(
        part=Count("pk", filter=Q(_screened())), total=Count("pk")
    )
    return counts["part"], counts["total"]


def sdash_where_prompted_cases(
    cases: Cases, start: datetime.date, end: datetime.date, row: str
) -> Cases:
    prompted = _prompted_for_screening(cases, start, end)
    if row == "part":
        return prompted.filter(_screened())
    if row == "rest":
        return prompted.exclude(_screened())
    return prompted


NOT_STALKING = (CourseOfConductOutcome.HARASSMENT, CourseOfConductOutcome.NOT_A_COURSE)
JUDGEMENT_ROWS = (
    ("below_answers", _("Risk level set below what the answers indicate")),
    ("below_answers_reviewed", _("... of which a supervisor has reviewed")),
    ("not_stalking", _("Decided 'not stalking'")),
    ("not_stalking_reviewed", _("... against the FOUR answers, reviewed by a supervisor")),
)


def _judgement_rows(
    cases: Cases, start: datetime.date, end: datetime.date
) -> dict[str, tuple[Any, Q]]:
    since, until = _bounds(start, end)
    reviews = JudgementReview.objects.filter(
        case__in=_pks(cases), created_at__gte=since, created_at__lt=until
    )
    reviewed = ~Q(status=ReviewStatus.OPEN)
    below = Q(kind=JudgementKind.RISK_BELOW_ANSWERS)
    against_four = Q(kind=JudgementKind.NOT_STALKING_AGAINST_FOUR)
    decisions = CourseOfConductDecision.objects.filter(
        case__in=_pks(cases), created_at__gte=since, created_at__lt=until, outcome__in=NOT_STALKING
    )
    return {
        "below_answers": (reviews, below),
        "below_answers_reviewed": (reviews, below & reviewed),
        "not_stalking": (decisions, Q()),
        "not_stalking_reviewed": (reviews, against_four & reviewed),
    }


def judgements(cases: Cases, start: datetime.date, end: datetime.date) -> dict[str, int]:
    return {
        key: rows.filter(condition).count()
        for key, (rows, condition) in _judgement_rows(cases, start, end).items()
    }


def judgements_cases(cases: Cases, start: datetime.date, end: datetime.date, row: str) -> Cases:
    rows = _judgement_rows(cases, start, end)
    if row not in rows:
        return cases.none()
    queryset, condition = rows[row]
    return cases.filter(pk__in=queryset.filter(condition).values("case_id"))


# --- recording ---------------------------------------------------------------------------------

STALKING_ROWS = (
    ("principal", _("Stalking as the principal classification")),
    ("included", _("Stalking included under another principal offence")),
)


def _stalking_q(row: str) -> Q:
    stalking = list(STALKING_CLASSIFICATIONS)
    if row == "principal":
        return Q(principal_classification__in=stalking)
    return ~Q(principal_classification__in=stalking) & Q(
        Exists(
            IncludedClassification.objects.filter(case=OuterRef("pk"), classification__in=stalking)
        )
    )


def stalking_recorded(cases: Cases, start: datetime.date, end: datetime.date) -> dict[str, int]:
    opened = opened_in(cases, start, end)
    return opened.aggregate(
        **{key: Count("pk", filter=_stalking_q(key)) for key, _label in STALKING_ROWS}
    )


def stalking_recorded_cases(
    cases: Cases, start: datetime.date, end: datetime.date, row: str
) -> Cases:
    if row not in dict(STALKING_ROWS):
        return cases.none()
    return opened_in(cases, start, end).filter(_stalking_q(row))


# --- Victims' Code ---------------------------------------------------------------------------


def _duties_judged(cases: Cases, start: datetime.date, end: datetime.date) -> Any:
    # Due in the period, and the due date has passed (a duty due today can still be met).
    today = timezone.localdate()
    return (
        VictimsCodeDuty.objects.filter(case__in=_pks(cases), due_on__gte=start, due_on__lt=end)
        .filter(Q(done_at__isnull=False) | Q(due_on__lt=today))
        .annotate(done_on=TruncDate("done_at", tzinfo=LONDON))
    )


def _duty_on_time_q() -> Q:
    return Q(done_at__isnull=False, done_on__lte=F("due_on"))


def duties_on_time(cases: Cases, start: datetime.date, end: datetime.date) -> tuple[int, int]:
    counts = _duties_judged(cases, start, end).aggregate(
        part=Count("pk", filter=_duty_on_time_q()), total=Count("pk")
    )
    return counts["part"], counts["total"]


def duties_on_time_cases(cases: Cases, start: datetime.date, end: datetime.date, row: str) -> Cases:
    duties = _duties_judged(cases, start, end)
    if row == "part":
        duties = duties.filter(_duty_on_time_q())
    elif row == "rest":
        duties = duties.exclude(_duty_on_time_q())
    return cases.filter(pk__in=duties.values("case_id"))


# --- people seen again -------------------------------------------------------------------------


def _seen_in_another_case(cases: Cases, start: datetime.date, end: datetime.date, role: str) -> Any:
    """Identifiers (phone, email...) of people with `role` on cases opened in the period that are
    also on someone with the same role in another case in scope: the same blind index means the
    same normalised identifier, without reading it. The repeated indexes are found in one
    grouped pass (a lookup per identifier took seconds on a force's whole history)."""
    repeated = (
        _of_cases(CaseIdentifier.objects.filter(person__role=role), cases)
        .order_by()
        .values("kind", "blind_index")
        .annotate(cases=Count("case_id", distinct=True))
        .filter(cases__gt=1)
        .values("blind_index")
    )
    return CaseIdentifier.objects.filter(
        case__in=_pks(opened_in(cases, start, end)),
        person__role=role,
        blind_index__in=repeated,
    )


def repeat_victims(cases: Cases, start: datetime.date, end: datetime.date) -> int:
    return (
        _seen_in_another_case(cases, start, end, PersonRole.VICTIM)
        .values("person_id")
        .distinct()
        .count()
    )


def suspects_with_other_victims(cases: Cases, start: datetime.date, end: datetime.date) -> int:
    return (
        _seen_in_another_case(cases, start, end, PersonRole.SUSPECT)
        .values("person_id")
        .distinct()
        .count()
    )


def repeat_victims_cases(cases: Cases, start: datetime.date, end: datetime.date, row: str) -> Cases:
    found = _seen_in_another_case(cases, start, end, PersonRole.VICTIM)
    return cases.filter(pk__in=found.values("case_id"))


def suspects_with_other_victims_cases(
    cases: Cases, start: datetime.date, end: datetime.date, row: str
) -> Cases:
    found = _seen_in_another_case(cases, start, end, PersonRole.SUSPECT)
    return cases.filter(pk__in=found.values("case_id"))


# --- outcomes and work -----------------------------------------------------------------------

OUTCOME_ROWS = tuple((value, label) for value, label in CaseOutcome.choices)


def _closed_in(cases: Cases, start: datetime.date, end: datetime.date) -> Cases:
    since, until = _bounds(start, end)
    return cases.filter(closed_at__gte=since, closed_at__lt=until)


def outcomes(cases: Cases, start: datetime.date, end: datetime.date) -> dict[str, int]:
    counted = dict(
        _closed_in(cases, start, end)
        .order_by()
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
    )
    return {key: counted.get(key, 0) for key, _label in OUTCOME_ROWS}


def outcomes_cases(cases: Cases, start: datetime.date, end: datetime.date, row: str) -> Cases:
    return _closed_in(cases, start, end).filter(outcome=row)


def _actions_overdue() -> QuerySet[CaseAction]:
    return CaseAction.objects.filter(status=ActionStatus.OPEN, due_on__lt=timezone.localdate())


def actions_overdue(cases: Cases, start: datetime.date, end: datetime.date) -> int:
    return _of_cases(_actions_overdue(), cases).count()


def actions_overdue_cases(
    cases: Cases, start: datetime.date, end: datetime.date, row: str
) -> Cases:
    return cases.filter(pk__in=_actions_overdue().values("case_id"))


def cases_opened(cases: Cases, start: datetime.date, end: datetime.date) -> int:
    return opened_in(cases, start, end).count()


def cases_opened_cases(cases: Cases, start: datetime.date, end: datetime.date, row: str) -> Cases:
    return opened_in(cases, start, end)


RATIO_ROWS = (("part", _("Met")), ("rest", _("Not met")))

FIGURES: tuple[FigureDef, ...] = (
    FigureDef(
        "cases_opened",
        "cases.opened",
        COUNT,
        _("Cases opened"),
        _("Cases opened in the period."),
    ),
    FigureDef(
        "reports_by_channel",
        "cases.reports_by_channel",
        BREAKDOWN,
        _("Reports received, by how they came in"),
        _("Online and phone reports received in the period that triage turned into a case."),
        rows=(("online", _("Online report")), ("phone", _("Phone call"))),
    ),
    FigureDef(
        "response_in_time",
        "cases.response_in_time",
        RATIO,
        _("First contact within the response time"),
        _(
            "Cases opened in the period whose first contact with the victim came by the time "
            "set at triage. Cases whose time has not yet come are left out."
        ),
        rows=RATIO_ROWS,
    ),
    FigureDef(
        "time_to_first_contact",
        "cases.time_to_first_contact",
        DURATION,
        _("Time to first contact with the victim"),
        _(
            "The middle (median) time from a case being opened to the first contact with the "
            "victim, for cases opened in the period that have had one."
        ),
    ),
    FigureDef(
        "cases_by_risk",
        "cases.by_risk",
        BREAKDOWN,
        _("Cases by risk level"),
        _(
            "Cases active at any time in the period (including those opened before it or closed "
            "after it), by their risk level now."
        ),
        rows=RISK_ROWS,
    ),
    FigureDef(
        "sdash_where_prompted",
        "risk.sdash_where_prompted",
        RATIO,
        _("Stalking screening (S-DASH) done where prompted"),
        _(
            "Cases opened in the period with two or more incidents (when the S-DASH is asked "
            "for) that have an S-DASH."
        ),
        rows=RATIO_ROWS,
    ),
    FigureDef(
        "judgements",
        "risk.judgements",
        BREAKDOWN,
        _("Judgements against the answers, and supervisor reviews"),
        _(
            "Risk levels set below what the answers indicate, and decisions that the behaviour "
            "is not stalking, made in the period; and how many of each a supervisor reviewed."
        ),
        rows=JUDGEMENT_ROWS,
    ),
    FigureDef(
        "stalking_recorded",
        "cases.stalking_recorded",
        BREAKDOWN,
        _("Stalking recorded"),
        _(
            "Cases opened in the period recorded as stalking (s2A or s4A): as the principal "
            "classification, or included under another offence."
        ),
        rows=STALKING_ROWS,
    ),
    FigureDef(
        "high_risk_plans",
        "safeguarding.high_risk_plans",
        RATIO,
        _("Safety plans in place for high-risk cases"),
        _("High-risk cases active in the period that have a current safety plan."),
        rows=(("part", _("With a current plan")), ("rest", _("Without a plan"))),
    ),
    FigureDef(
        "spo_pipeline",
        "offenders.spo_pipeline",
        BREAKDOWN,
        _("Stalking Protection Orders"),
        _(
            "Orders considered, not pursued, applied for, interim orders, orders granted and "
            "orders breached, in the period."
        ),
        rows=(
            ("considered", _("Considered")),
            ("not_pursued", _("Not pursued")),
            ("applied", _("Applied for")),
            ("interim", _("Interim order made")),
            ("granted", _("Full order granted")),
            ("breached", _("Breached")),
        ),
    ),
    FigureDef(
        "notifications_overdue",
        "offenders.notifications_overdue",
        COUNT,
        _("Notification requirements overdue"),
        _(
            "People under an order who had not told the police their name and address by the "
            "due date, at the end of the period."
        ),
        compares=False,
    ),
    FigureDef(
        "duties_on_time",
        "cases.duties_on_time",
        RATIO,
        _("Victims' Code duties met on time"),
        _(
            "Victims' Code duties due in the period that were done on or before their due date. "
            "Duties done late count as not met; duties not yet due are left out."
        ),
        rows=RATIO_ROWS,
    ),
    FigureDef(
        "referrals_in_time",
        "sharing.referrals_in_time",
        RATIO,
        _("Partner referrals acknowledged in time"),
        _("Referrals to partner agencies made in the period that were acknowledged in time."),
        rows=(("part", _("In time")), ("rest", _("Late or not yet"))),
    ),
    FigureDef(
        "repeat_victims",
        "cases.repeat_victims",
        COUNT,
        _("Repeat victims"),
        _(
            "Victims on cases opened in the period who are also a victim on another case, found "
            "by the same phone number or email address."
        ),
    ),
    FigureDef(
        "suspects_with_other_victims",
        "cases.suspects_with_other_victims",
        COUNT,
        _("Suspects linked to more than one victim"),
        _(
            "Suspects on cases opened in the period who are also a suspect on another case, "
            "found by the same phone number or email address."
        ),
    ),
    FigureDef(
        "outcomes",
        "cases.outcomes",
        BREAKDOWN,
        _("Outcomes"),
        _("Cases closed in the period, by outcome."),
        rows=OUTCOME_ROWS,
    ),
    FigureDef(
        "actions_overdue",
        "cases.actions_overdue",
        COUNT,
        _("Open actions overdue"),
        _("Actions still to do on cases whose due date has passed, as of today."),
        compares=False,
    ),
)
FIGURE_BY_KEY = {figure.key: figure for figure in FIGURES}


def register_case_sources() -> None:
    """The figures case management and risk can already count."""
    pairs: Iterable[tuple[str, Any, Any]] = (
        ("cases.opened", cases_opened, cases_opened_cases),
        ("cases.reports_by_channel", reports_by_channel, reports_by_channel_cases),
        ("cases.response_in_time", response_in_time, response_in_time_cases),
        ("cases.time_to_first_contact", time_to_first_contact, time_to_first_contact_cases),
        ("cases.by_risk", cases_by_risk, cases_by_risk_cases),
        ("risk.sdash_where_prompted", sdash_where_prompted, sdash_where_prompted_cases),
        ("risk.judgements", judgements, judgements_cases),
        ("cases.stalking_recorded", stalking_recorded, stalking_recorded_cases),
        ("cases.duties_on_time", duties_on_time, duties_on_time_cases),
        ("cases.repeat_victims", repeat_victims, repeat_victims_cases),
        (
            "cases.suspects_with_other_victims",
            suspects_with_other_victims,
            suspects_with_other_victims_cases,
        ),
        ("cases.outcomes", outcomes, outcomes_cases),
        ("cases.actions_overdue", actions_overdue, actions_overdue_cases),
    )
    for key, compute, drill in pairs:
        register_source(key, compute, drill)
