"""The report's pages answer any input with a message by the field (issue 16, points 8, 9)."""

from __future__ import annotations

import pytest
from django.test import Client

from vigil.reporting.tests.journey import ANSWERS, current_draft, post

pytestmark = pytest.mark.django_db

HUGE_YEAR = "99999999999999999999"


def _start(client: Client, pages: int) -> None:
    post(client, "/report/", {"action": "start"})
    for slug, data in ANSWERS[:pages]:
        post(client, f"/report/{slug}/", data)


@pytest.mark.parametrize(
    ("slug", "data", "message"),
    [
        (
            "victim-name",
            {"name": "Alice", "date_of_birth_0": "1", "date_of_birth_1": "1"},
            "Your date of birth must be a real date",
        ),
        (
            "when",
            {
                "started_on_0": "1",
                "started_on_1": "6",
                "most_recent_on_0": "2",
                "most_recent_on_1": "6",
                "most_recent_on_2": "2026",
                "frequency": "daily",
            },
            "The date it started must be a real date",
        ),
    ],
)
def test_a_huge_year_is_an_error_by_the_field_and_keeps_every_answer(
    slug: str, data: dict[str, str], message: str
) -> None:
    client = Client()
    _start(client, 2)
    field = "date_of_birth_2" if slug == "victim-name" else "started_on_2"
    response = client.post(f"/report/{slug}/", {**data, field: HUGE_YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'value="{HUGE_YEAR}"' in html


def test_an_incident_with_a_huge_year_is_an_error_not_a_crash() -> None:
    client = Client()
    _start(client, 2)
    response = client.post(
        "/report/incidents/0/",
        {"date_0": "1", "date_1": "1", "date_2": HUGE_YEAR, "what_happened": "He followed me"},
    )
    assert response.status_code == 200
    assert "The date it happened must be a real date" in response.content.decode()


def test_a_phone_that_is_not_a_number_is_refused_by_the_field() -> None:
    client = Client()
    _start(client, 3)
    response = client.post("/report/victim-contact/", {"phone": "call me maybe!!"})
    html = response.content.decode()
    assert "Enter a phone number, like 01632 960 001" in html
    assert 'value="call me maybe!!"' in html


def test_a_postcode_is_checked_not_cut_short() -> None:
    client = Client()
    _start(client, 4)
    response = client.post("/report/victim-address/", {"postcode": "NOTAPOSTCODE1"})
    html = response.content.decode()
    assert "Enter a real postcode, like EX1 1AA" in html
    assert 'value="NOTAPOSTCODE1"' in html and 'maxlength="10"' not in html


def test_a_long_answer_over_the_limit_is_refused_with_a_message_not_cut() -> None:
    client = Client()
    _start(client, len(ANSWERS))
    response = client.post("/report/impact/", {"impact": "x" * 12000})
    html = response.content.decode()
    assert "How has this affected you must be 10,000 characters or less" in html
    assert "Ensure this value" not in html
    assert "impact" not in current_draft(client).data["answers"]


def test_six_pm_and_a_month_name_are_understood() -> None:
    client = Client()
    _start(client, 2)
    post(
        client,
        "/report/incidents/0/",
        {
            "date_0": "27",
            "date_1": "March",
            "date_2": "2026",
            "time": "6pm",
            "what_happened": "He waited outside",
        },
    )
    incident = current_draft(client).data["incidents"][0]
    assert incident["date"] == "2026-03-27" and incident["time"] == "18:00"


def test_long_answers_show_a_character_count() -> None:
    client = Client()
    _start(client, len(ANSWERS))
    html = client.get("/report/impact/").content.decode()
    assert 'data-module="govuk-character-count"' in html
    assert "You can enter up to 10,000 characters" in html
