from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vigil.accounts.models import Role
from vigil.cases.models import CourseOfConductDecision, TimelineEntry
from vigil.cases.tests.factories import make_case, suspect_of, victim_of

pytestmark = pytest.mark.django_db

PROMPT = "Possible course of conduct: consider stalking (s2A/s4A)"


def _add_incident(client: Client, case: object, behaviours: list[str]) -> None:
    today = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        reverse("cases:incident_new", args=[case.pk]),  # type: ignore[attr-defined]
        {
            "occurred_on_0": today.day,
            "occurred_on_1": today.month,
            "occurred_on_2": today.year,
            "occurred_time": "18:30",
            "place": "Station Road",
            "victim": str(victim_of(case).pk),  # type: ignore[arg-type]
            "suspect": str(suspect_of(case).pk),  # type: ignore[arg-type]
            "behaviours": behaviours,
            "summary": "Waiting outside again",
            "source": "victim",
        },
    )
    assert response.status_code == 302, response.content.decode()


def test_the_prompt_does_not_appear_after_one_incident(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user, details={"behaviours": ["following"]})  # type: ignore[attr-defined]
    assert case.incidents.count() == 1
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert PROMPT not in page


def test_the_prompt_appears_at_the_second_incident_with_the_four_questions_and_s2a3(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user, details={"behaviours": ["following"]})  # type: ignore[attr-defined]
    _add_incident(client, case, ["loitering", "tracking"])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert PROMPT in page
    decision_url = reverse(
        "cases:conduct_decision", args=[case.pk, victim_of(case).pk, suspect_of(case).pk]
    )
    form = client.get(decision_url).content.decode()
    for word in ("Fixated", "Obsessive", "Unwanted", "Repeated"):
        assert word in form
    assert "(a) following a person" in form
    assert "(e) loitering in any place" in form
    assert "(g) watching or spying" in form
    assert "(b)" not in form


def test_the_officer_records_a_decision_that_appears_on_the_timeline(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user, classification="criminal_damage")  # type: ignore[attr-defined]
    _add_incident(client, case, ["following"])
    url = reverse("cases:conduct_decision", args=[case.pk, victim_of(case).pk, suspect_of(case).pk])
    response = client.post(
        url,
        {
            "fixated": "yes",
            "obsessive": "yes",
            "unwanted": "yes",
            "repeated": "yes",
            "outcome": "stalking_s2a",
            "reasons": "Followed twice after being told to stop.",
        },
    )
    assert response.status_code == 302
    assert (
        CourseOfConductDecision.objects.get().reasons == "Followed twice after being told to stop."
    )
    assert case.included.filter(classification="stalking_s2a").exists()
    timeline = client.get(reverse("cases:timeline", args=[case.pk]) + "?kind=decision")
    text = timeline.content.decode()
    assert "Course of conduct decision: Stalking (s2A)" in text
    assert "Followed twice after being told to stop." in text
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert PROMPT not in page


def test_the_timeline_filter_shows_only_the_chosen_kind(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    assert TimelineEntry.objects.filter(case=case, kind="incident").exists()
    text = client.get(reverse("cases:timeline", args=[case.pk]) + "?kind=case").content.decode()
    assert "Case opened from" in text
    assert "Incident recorded" not in text
