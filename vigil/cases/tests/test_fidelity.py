"""The record says only what is known: no invented times, behaviours per incident, real dates."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role
from vigil.cases.models import Case, Incident
from vigil.cases.tests.factories import make_case, make_report, victim_of
from vigil.cases.tests.pdftext import pdf_contains

pytestmark = pytest.mark.django_db


def _details(*incidents: dict[str, str]) -> dict[str, object]:
    return {"behaviours": ["following", "calls_messages"], "incidents": list(incidents)}


NO_TIME = {"date": "2026-11-01", "place": "Elm Street", "what_happened": "He was at the gate."}
WITH_TIME = {"date": "2026-11-03", "time": "21:15", "what_happened": "Rang forty times."}


def test_an_incident_reported_without_a_time_shows_no_time_on_the_case(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user, details=_details(NO_TIME))  # type: ignore[attr-defined]
    incident = Incident.objects.get(case=case)
    assert incident.time_known is False
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "1 Nov 2026" in page
    assert "12:00" not in page
    assert "Time not known" in page
    timeline = client.get(reverse("cases:timeline", args=[case.pk])).content.decode()
    assert "12:00" not in timeline


def test_an_incident_without_a_time_has_no_time_in_the_case_file_pdf(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user, details=_details(NO_TIME))  # type: ignore[attr-defined]
    pdf = client.get(reverse("cases:case_file", args=[case.pk])).content
    assert pdf_contains(pdf, "time not known")
    assert not pdf_contains(pdf, "12:00")


def test_an_incident_with_a_time_keeps_it(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user, details=_details(WITH_TIME))  # type: ignore[attr-defined]
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "21:15" in page


def test_behaviours_of_a_report_are_not_copied_onto_each_of_its_incidents(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user, details=_details(NO_TIME, WITH_TIME))  # type: ignore[attr-defined]
    assert [i.behaviours for i in Incident.objects.filter(case=case)] == [[], []]
    timeline = client.get(reverse("cases:timeline", args=[case.pk])).content.decode()
    assert "for the whole report" in timeline


def test_behaviours_given_for_an_incident_stay_with_it(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    first = {**NO_TIME, "behaviours": ["loitering"]}
    case = make_case(by=client.user, details=_details(first, WITH_TIME))  # type: ignore[attr-defined]
    behaviours = dict(Incident.objects.filter(case=case).values_list("summary", "behaviours"))
    assert behaviours == {"He was at the gate.": ["loitering"], "Rang forty times.": []}


def test_a_report_with_one_incident_keeps_its_behaviours_on_it(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user, details=_details(WITH_TIME))  # type: ignore[attr-defined]
    assert Incident.objects.get(case=case).behaviours == ["following", "calls_messages"]


def _post_incident(client: Client, case_id: object, day: str, month: str, year: str) -> str:
    url = reverse("cases:incident_new", args=[case_id])
    response = client.post(
        url,
        {
            "occurred_on_0": day,
            "occurred_on_1": month,
            "occurred_on_2": year,
            "summary": "Left a note on my car.",
            "source": "victim",
            "victim": str(victim_of(Case.objects.get(pk=case_id)).pk),
        },
    )
    return response.content.decode()


def test_an_incident_dated_1_january_1900_gets_a_clear_message(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user, report=make_report())  # type: ignore[attr-defined]
    html = _post_incident(client, case.pk, "1", "1", "1900")
    assert "Enter a date after 01/01/1950" in html
    assert "Left a note on my car." in html
    assert Incident.objects.filter(case=case).count() == 1


def test_an_incident_dated_in_the_future_gets_a_clear_message(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    html = _post_incident(client, case.pk, "1", "1", "2099")
    assert "must be today or in the past" in html
    assert Incident.objects.filter(case=case).count() == 1


def test_the_incident_form_picks_the_only_suspect(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.COORDINATOR)
    case = make_case(by=client.user)  # type: ignore[attr-defined]
    suspect = case.people.get(role="suspect")
    html = client.get(reverse("cases:incident_new", args=[case.pk])).content.decode()
    assert f'<option value="{suspect.pk}" selected>' in html
