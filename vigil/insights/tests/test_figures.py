"""Each figure worked out on hand-made cases, against numbers counted by hand.

The period is May 2026 (start 1 May, end 1 June excluded); "today" is 15 June 2026. Times are
London time (BST, UTC+1), so the edges at midnight test the time zone too.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from vigil.accounts.models import Role, User
from vigil.accounts.tests.factories import TeamFactory
from vigil.cases.models import (
    ActionStatus,
    Case,
    CaseAction,
    CaseIdentifier,
    CasePerson,
    CaseStatus,
    CourseOfConductDecision,
    DutyKind,
    Incident,
    IncludedClassification,
    PersonRole,
    PhoneReport,
    PriorityGrade,
    Triage,
    VictimsCodeDuty,
)
from vigil.cases.policy import identifier_index
from vigil.cases.tests.factories import make_report
from vigil.insights import figures
from vigil.insights.selectors import Filters, scoped_cases
from vigil.risk.models import JudgementKind, JudgementReview, ReviewStatus, RiskAssessment, RiskTool

LONDON = ZoneInfo("Europe/London")
MAY = (datetime.date(2026, 5, 1), datetime.date(2026, 6, 1))
APRIL = (datetime.date(2026, 4, 1), datetime.date(2026, 5, 1))

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today() -> Any:
    with time_machine.travel("2026-06-15 12:00+01:00", tick=False):
        yield


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=LONDON)


class World:
    def __init__(self, make_staff: Callable[..., User]) -> None:
        self.team1 = TeamFactory(name="North")
        self.team2 = TeamFactory(name="South")
        self.coord = make_staff(Role.COORDINATOR)
        self.ivy = make_staff(Role.INVESTIGATOR, team=self.team1)
        self.handler = make_staff(Role.CALL_HANDLER)
        self.n = 0

    def case(self, opened: str, **fields: Any) -> Case:
        self.n += 1
        fields.setdefault("principal_classification", "harassment_s2")
        return Case.objects.create(
            reference=f"T-{self.n:04d}", created_by=self.handler, opened_at=at(opened), **fields
        )

    def person(self, case: Case, role: str, phone: str = "") -> CasePerson:
        person = CasePerson.objects.create(case=case, role=role, name=f"{role} {case.reference}")
        if phone:
            CaseIdentifier.objects.create(
                case=case,
                person=person,
                kind="phone",
                value=phone,
                blind_index=identifier_index("phone", phone),
            )
        return person

    def incident(self, case: Case, victim: CasePerson, when: str) -> Incident:
        return Incident.objects.create(
            case=case, occurred_at=at(when), summary="x", source="officer", victim=victim
        )


@pytest.fixture
def w(make_staff: Callable[..., User]) -> World:
    world = World(make_staff)
    # A: in May, team 1, high risk, stalking as principal; contacted within its time (2 hours).
    world.a = world.case(
        "2026-05-10 09:00",
        team=world.team1,
        risk_level="high",
        principal_classification="stalking_s2a",
        response_due_at=at("2026-05-10 12:00"),
        first_contact_at=at("2026-05-10 11:00"),
    )
    # B: opened in April, closed in May (crosses the start): active in May, and an outcome.
    world.b = world.case(
        "2026-04-20 10:00",
        risk_level="medium",
        status=CaseStatus.CLOSED,
        closed_at=at("2026-05-05 10:00"),
        outcome="nfa",
    )
    # C: the last half hour of May, team 2, not assessed, stalking included under damage;
    # contacted 90 minutes after opening, after its response time.
    world.c = world.case(
        "2026-05-31 23:30",
        team=world.team2,
        principal_classification="criminal_damage",
        response_due_at=at("2026-05-31 23:45"),
        first_contact_at=at("2026-06-01 01:00"),
    )
    IncludedClassification.objects.create(case=world.c, classification="stalking_s4a")
    # D: half an hour into June: outside the period.
    world.d = world.case(
        "2026-06-01 00:30", risk_level="high", principal_classification="stalking_s2a"
    )
    # E: opened and closed before May: not active in May.
    world.e = world.case(
        "2026-03-01 10:00",
        risk_level="standard",
        status=CaseStatus.CLOSED,
        closed_at=at("2026-04-30 10:00"),
        outcome="charge",
    )
    # F: in May, standard risk, response due in the future and no contact yet: not judged.
    world.f = world.case(
        "2026-05-20 10:00", risk_level="standard", response_due_at=at("2026-06-20 10:00")
    )
    return world


def test_cases_opened_counts_the_period_to_its_last_minute(w: World) -> None:
    cases = Case.objects.all()
    assert figures.cases_opened(cases, *MAY) == 3  # A, C, F (D is 1 June)
    assert figures.cases_opened(cases, *APRIL) == 1  # B


def test_cases_by_risk_counts_a_case_that_crosses_the_start(w: World) -> None:
    assert figures.cases_by_risk(Case.objects.all(), *MAY) == {
        "high": 1,  # A (D opened after)
        "medium": 1,  # B, closed during May
        "standard": 1,  # F (E closed in April)
        "not_assessed": 1,  # C
    }


def test_response_in_time_leaves_out_cases_whose_time_has_not_come(w: World) -> None:
    assert figures.response_in_time(Case.objects.all(), *MAY) == (1, 2)  # A met, C late
    late = figures.response_in_time_cases(Case.objects.all(), *MAY, "rest")
    assert list(late) == [w.c]


def test_time_to_first_contact_is_the_median(w: World) -> None:
    median, counted = figures.time_to_first_contact(Case.objects.all(), *MAY)
    assert counted == 2
    assert median == datetime.timedelta(hours=1, minutes=45)  # middle of 2 h and 1 h 30


def test_stalking_recorded_as_principal_or_included(w: World) -> None:
    assert figures.stalking_recorded(Case.objects.all(), *MAY) == {"principal": 1, "included": 1}
    assert list(figures.stalking_recorded_cases(Case.objects.all(), *MAY, "included")) == [w.c]


def test_outcomes_count_cases_closed_in_the_period(w: World) -> None:
    result = figures.outcomes(Case.objects.all(), *MAY)
    assert result["nfa"] == 1
    assert result["charge"] == 0  # E closed in April
    assert sum(result.values()) == 1


def test_duties_done_late_or_not_done_are_not_met(w: World) -> None:
    def duty(due: str, done: str | None) -> None:
        VictimsCodeDuty.objects.create(
            case=w.a,
            kind=DutyKind.UPDATE,
            due_on=datetime.date.fromisoformat(due),
            done_at=at(done) if done else None,
        )

    duty("2026-05-12", "2026-05-12 23:30")  # on time, late in the evening
    duty("2026-05-12", "2026-05-13 00:30")  # late: the next day in London (still 12th in UTC)
    duty("2026-05-15", "2026-05-20 10:00")  # late
    duty("2026-05-25", None)  # not done, overdue
    duty("2026-06-05", None)  # due in June: another period
    assert figures.duties_on_time(Case.objects.all(), *MAY) == (1, 4)


def test_a_duty_not_yet_due_is_left_out(w: World) -> None:
    VictimsCodeDuty.objects.create(
        case=w.a, kind=DutyKind.UPDATE, due_on=datetime.date(2026, 6, 20)
    )
    assert figures.duties_on_time(
        Case.objects.all(), datetime.date(2026, 6, 1), datetime.date(2026, 7, 1)
    ) == (0, 0)


def test_repeat_victims_and_suspects_found_by_the_same_phone(w: World) -> None:
    w.person(w.a, PersonRole.VICTIM, "07700900001")
    w.person(w.e, PersonRole.VICTIM, "07700 900001")  # the same number, written differently
    w.person(w.c, PersonRole.VICTIM, "07700900002")
    w.person(w.c, PersonRole.SUSPECT, "07700900099")
    w.person(w.d, PersonRole.SUSPECT, "07700900099")  # D is in June but is another case
    w.person(w.f, PersonRole.SUSPECT, "07700900001")  # a victim's number on a suspect: no
    cases = Case.objects.all()
    assert figures.repeat_victims(cases, *MAY) == 1
    assert figures.suspects_with_other_victims(cases, *MAY) == 1
    assert list(figures.repeat_victims_cases(cases, *MAY, "total")) == [w.a]


def test_sdash_where_prompted_counts_cases_with_two_incidents(w: World) -> None:
    for case in (w.a, w.c):
        victim = w.person(case, PersonRole.VICTIM)
        w.incident(case, victim, "2026-05-01 10:00")
        w.incident(case, victim, "2026-05-02 10:00")
    w.incident(w.f, w.person(w.f, PersonRole.VICTIM), "2026-05-21 10:00")  # one: no prompt
    RiskAssessment.objects.create(
        case=w.a,
        tool=RiskTool.objects.get(code="sdash"),
        assessed_by=w.ivy,
        submitted_at=at("2026-05-11 10:00"),
        yes_count=3,
        question_count=11,
        level="high",
        reasons="r",
        review_due=datetime.date(2026, 8, 1),
    )
    assert figures.sdash_where_prompted(Case.objects.all(), *MAY) == (1, 2)
    assert list(figures.sdash_where_prompted_cases(Case.objects.all(), *MAY, "rest")) == [w.c]


def test_judgements_and_how_many_a_supervisor_reviewed(w: World) -> None:
    def review(case: Case, kind: str, status: str) -> None:
        with time_machine.travel("2026-05-15 10:00+01:00"):
            JudgementReview.objects.create(
                case=case,
                kind=kind,
                indicated="h",
                chosen="m",
                reasons="r",
                raised_by=w.ivy,
                status=status,
            )

    review(w.a, JudgementKind.RISK_BELOW_ANSWERS, ReviewStatus.AGREED)
    review(w.c, JudgementKind.RISK_BELOW_ANSWERS, ReviewStatus.OPEN)
    review(w.a, JudgementKind.NOT_STALKING_AGAINST_FOUR, ReviewStatus.CHALLENGED)
    victim, suspect = w.person(w.c, PersonRole.VICTIM), w.person(w.c, PersonRole.SUSPECT)
    with time_machine.travel("2026-05-16 10:00+01:00"):
        CourseOfConductDecision.objects.create(
            case=w.c,
            victim=victim,
            suspect=suspect,
            fixated=True,
            obsessive=False,
            unwanted=True,
            repeated=True,
            outcome="harassment",
            reasons="r",
            incident_count=2,
            decided_by=w.ivy,
        )
    assert figures.judgements(Case.objects.all(), *MAY) == {
        "below_answers": 2,
        "below_answers_reviewed": 1,
        "not_stalking": 1,
        "not_stalking_reviewed": 1,
    }
    assert figures.judgements(Case.objects.all(), *APRIL)["below_answers"] == 0


def test_open_actions_overdue_today(w: World) -> None:
    def action(due: str, status: str = ActionStatus.OPEN) -> None:
        CaseAction.objects.create(
            case=w.a,
            title="t",
            due_on=datetime.date.fromisoformat(due),
            status=status,
            created_by=w.ivy,
        )

    action("2026-06-10")  # overdue
    action("2026-06-20")  # not yet due
    action("2026-06-01", ActionStatus.DONE)  # done
    assert figures.actions_overdue(Case.objects.all(), *MAY) == 1


def test_reports_by_channel(w: World) -> None:
    grade = PriorityGrade.objects.get(code="priority")
    online = make_report()
    online.received_at = at("2026-05-03 10:00")
    online.save()
    phone = PhoneReport.objects.create(
        reference="PH-1", taken_by=w.handler, summary="s", received_at=at("2026-05-04 10:00")
    )
    late_phone = PhoneReport.objects.create(
        reference="PH-2", taken_by=w.handler, summary="s", received_at=at("2026-06-02 10:00")
    )
    for item, case in ((online, w.a), (phone, w.c), (late_phone, w.f)):
        Triage.objects.create(
            report=item if item is online else None,
            phone_report=None if item is online else item,
            grade=grade,
            due_at=at("2026-06-30 10:00"),
            decision="new_case",
            case=case,
            by=w.handler,
        )
    assert figures.reports_by_channel(Case.objects.all(), *MAY) == {"online": 1, "phone": 1}


def test_team_and_scope_narrow_every_figure(w: World) -> None:
    team1 = Filters(start=MAY[0], end=MAY[1], team=w.team1)
    assert figures.cases_opened(scoped_cases(user=w.coord, filters=team1), *MAY) == 1  # A
    whole = Filters(start=MAY[0], end=MAY[1])
    # The investigator's own scope is team 1: C (team 2) and F (no team) are not hers.
    assert figures.cases_opened(scoped_cases(user=w.ivy, filters=whole), *MAY) == 1
    assert figures.cases_opened(scoped_cases(user=w.coord, filters=whole), *MAY) == 3
