from __future__ import annotations

import datetime

from vigil.risk.prompts import AssessmentFacts, IncidentFacts, risk_prompts, suggested_level

NOW = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=datetime.UTC)


def days_ago(n: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=n)


def facts(**overrides: object) -> AssessmentFacts:
    values: dict[str, object] = {
        "tool_code": "dash",
        "tool_name": "DASH",
        "submitted_at": days_ago(1),
        "yes_count": 3,
        "level": "standard",
        "review_due": (NOW + datetime.timedelta(days=20)).date(),
        "marac_from": 14,
    }
    values.update(overrides)
    return AssessmentFacts(**values)  # type: ignore[arg-type]


def happened(*days: int) -> list[IncidentFacts]:
    """Incidents that happened (and were recorded) the given numbers of days ago."""
    return [IncidentFacts(occurred_at=days_ago(n), recorded_at=days_ago(n)) for n in days]


def codes(**kwargs: object) -> list[str]:
    return [p.code for p in risk_prompts(now=NOW, **kwargs)]  # type: ignore[arg-type]


def test_one_incident_prompts_nothing() -> None:
    assert codes(incidents=happened(3), current=[]) == []


def test_the_second_incident_prompts_the_stalking_screening() -> None:
    prompts = risk_prompts(incidents=happened(9, 3), current=[], now=NOW)
    assert [(p.code, p.tool_code) for p in prompts] == [("screen", "sdash")]


def test_a_dash_stalking_or_fear_answer_prompts_the_screening_until_it_is_done() -> None:
    dash = facts(prompted_tools=frozenset({"sdash"}), submitted_at=days_ago(0))
    assert codes(incidents=happened(3), current=[dash]) == ["screen"]
    sdash = facts(tool_code="sdash", tool_name="S-DASH", marac_from=None)
    assert codes(incidents=happened(3), current=[dash, sdash]) == []


def test_fourteen_dash_yes_answers_suggest_marac_and_thirteen_do_not() -> None:
    assert "marac" in codes(incidents=happened(), current=[facts(yes_count=14)])
    assert "marac" not in codes(incidents=happened(), current=[facts(yes_count=13)])


def test_three_incidents_in_twelve_months_suggest_escalation() -> None:
    assert "escalate" in codes(incidents=happened(300, 100, 2), current=[])
    assert "escalate" not in codes(incidents=happened(400, 100, 2), current=[])


def test_a_new_incident_after_the_assessment_prompts_reassessment() -> None:
    assessed = facts(submitted_at=days_ago(5))
    assert "reassess_incident" in codes(incidents=happened(2), current=[assessed])
    assert "reassess_incident" not in codes(incidents=happened(6), current=[assessed])


def test_an_old_incident_recorded_after_the_assessment_counts_as_new() -> None:
    assessed = facts(submitted_at=days_ago(5))
    late_record = IncidentFacts(occurred_at=days_ago(30), recorded_at=days_ago(1))
    assert "reassess_incident" in codes(incidents=[late_record], current=[assessed])


def test_a_passed_review_date_prompts_reassessment() -> None:
    overdue = facts(review_due=(NOW - datetime.timedelta(days=1)).date())
    assert "review_overdue" in codes(incidents=happened(), current=[overdue])
    due_today = facts(review_due=NOW.date())
    assert "review_overdue" not in codes(incidents=happened(), current=[due_today])


def test_high_risk_without_a_safety_plan_asks_for_one() -> None:
    high = facts(level="high")
    assert "safety_plan" in codes(incidents=happened(), current=[high])
    assert "safety_plan" not in codes(incidents=happened(), current=[high], has_safety_plan=True)


def test_the_count_only_suggests_a_level() -> None:
    assert suggested_level(yes_count=14, medium_from=10, high_from=14) == "high"
    assert suggested_level(yes_count=10, medium_from=10, high_from=14) == "medium"
    assert suggested_level(yes_count=9, medium_from=10, high_from=14) == ""
    assert suggested_level(yes_count=11, medium_from=None, high_from=None) == ""
