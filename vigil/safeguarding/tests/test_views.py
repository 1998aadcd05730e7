"""The safety plan page: an officer adds measures, a refusal keeps the answers, and a change
made over someone else's is refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from conftest import sign_in_verified
from vigil.accounts.models import Role, User
from vigil.audit.models import AuditEvent
from vigil.cases.models import Case
from vigil.cases.tests.factories import make_case
from vigil.safeguarding.models import MeasureStatus, SafetyMeasure
from vigil.safeguarding.tests.helpers import add_alarm, partner_agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def ivy(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.INVESTIGATOR)


@pytest.fixture
def case(make_staff: Callable[..., User], ivy: User) -> Case:
    return make_case(by=make_staff(Role.CALL_HANDLER), officer=ivy)


def _add(client: Client, case: Case, **answers: str) -> object:
    data = {"measure": "", "own_title": "", "owner": "", "status": "planned", "detail": ""}
    data.update(answers)
    return client.post(reverse("safeguarding:plan", args=[case.pk]), data)


def test_an_officer_adds_two_measures(case: Case, ivy: User) -> None:
    client = sign_in_verified(Client(), ivy)
    agency = partner_agency()
    assert (
        _add(client, case, measure="alarm", owner=f"user:{ivy.pk}", status="in_place").status_code
        == 302
    )  # type: ignore[attr-defined]
    assert (
        _add(
            client,
            case,
            measure="other",
            own_title="Taxi account for school runs",
            owner=f"agency:{agency.pk}",
        ).status_code
        == 302
    )  # type: ignore[attr-defined]
    page = client.get(reverse("safeguarding:plan", args=[case.pk])).content.decode()
    assert "Alarm" in page and "Taxi account for school runs" in page and agency.name in page
    assert SafetyMeasure.objects.filter(plan__case=case).count() == 2
    assert AuditEvent.objects.filter(action="case.view", summary__page="safety_plan").exists()


def test_a_refused_measure_keeps_the_answers(case: Case, ivy: User) -> None:
    client = sign_in_verified(Client(), ivy)
    response = _add(client, case, measure="other", detail="Kept words", owner=f"user:{ivy.pk}")
    body = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Describe the measure." in body and "Kept words" in body
    assert not SafetyMeasure.objects.exists()


def test_a_change_over_someone_elses_is_refused(case: Case, ivy: User) -> None:
    measure = add_alarm(case, ivy)
    client = sign_in_verified(Client(), ivy)
    url = reverse("safeguarding:measure_edit", args=[case.pk, measure.pk])
    data = {"status": "ended", "owner": f"user:{ivy.pk}", "detail": "", "version": "1", "read": ""}
    SafetyMeasure.objects.filter(pk=measure.pk).update(version=2, status=MeasureStatus.PLANNED)
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved changes" in body
    assert "Status is now: Planned" in body
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PLANNED


def test_a_change_is_saved_and_on_the_timeline(case: Case, ivy: User) -> None:
    measure = add_alarm(case, ivy)
    client = sign_in_verified(Client(), ivy)
    url = reverse("safeguarding:measure_edit", args=[case.pk, measure.pk])
    data = {"status": "ended", "owner": f"user:{ivy.pk}", "detail": "", "version": "1", "read": ""}
    assert client.post(url, data).status_code == 302
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.ENDED
    assert case.timeline.filter(title="Safety plan: Alarm is now ended").exists()


GARBAGE = [
    {},
    {"measure": "x" * 5000, "owner": "user:not-a-uuid", "status": "carried_over"},
    {"owner": "agency:00000000-0000-0000-0000-000000000000", "version": "abc", "read": "x"},
    {"starts_on_0": "99999999999999999999", "starts_on_1": "13", "starts_on_2": "-1"},
    {"meeting": "not-a-uuid", "reason": "nope", "held_on_0": "31", "held_on_1": "2"},
    {"agency": "'; drop table", "reference": "\x00", "next_review_on_2": "0"},
]


def test_no_input_gives_an_error_page(
    case: Case, ivy: User, make_staff: Callable[..., User]
) -> None:
    from django.utils import timezone

    from vigil.safeguarding import meetings

    coordinator = make_staff(Role.COORDINATOR)
    measure = add_alarm(case, ivy)
    meeting = meetings.meeting_create(
        kind="marac", held_on=timezone.localdate(), place="", by=coordinator
    )
    entry = meetings.meeting_case_add(
        meeting=meeting, case=case, reason="judgement", note="", by=coordinator
    )
    urls = [
        reverse("safeguarding:plan", args=[case.pk]),
        reverse("safeguarding:measure_edit", args=[case.pk, measure.pk]),
        reverse("safeguarding:plan_review", args=[case.pk]),
        reverse("safeguarding:refer", args=[case.pk]),
        reverse("safeguarding:meeting_new"),
        reverse("safeguarding:meeting_case_new", args=[meeting.pk]),
        reverse("safeguarding:attendee_new", args=[meeting.pk]),
        reverse("safeguarding:information_new", args=[meeting.pk, entry.pk]),
        reverse("safeguarding:action_new", args=[meeting.pk, entry.pk]),
        reverse("safeguarding:minutes", args=[meeting.pk]),
    ]
    client = sign_in_verified(Client(raise_request_exception=False), coordinator)
    for url in urls:
        for data in GARBAGE:
            status = client.post(url, data).status_code
            assert status in (200, 302), (url, data, status)
