from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from vigil.accounts.models import Role
from vigil.audit.models import AuditEvent
from vigil.public_site.models import Feedback

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    cache.clear()


def test_the_beta_banner_links_to_the_feedback_form(client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'href="/feedback/"' in html
    assert (
        "Overall, how did you feel about this service?" in client.get("/feedback/").content.decode()
    )


def test_feedback_is_saved_without_personal_data(client: Client) -> None:
    response = client.post("/feedback/", {"rating": "satisfied", "comments": "Clear, thanks"})
    assert response["Location"] == "/feedback/sent/"
    feedback = Feedback.objects.get()
    assert feedback.rating == "satisfied"
    assert feedback.comments == "Clear, thanks"
    assert [f.name for f in Feedback._meta.fields] == [
        "id",
        "created_at",
        "updated_at",
        "rating",
        "comments",
    ]
    assert AuditEvent.objects.filter(action="feedback.submit").count() == 1


def test_feedback_needs_a_rating(client: Client) -> None:
    html = client.post("/feedback/", {"comments": "x"}).content.decode()
    assert "Select how you feel about this service" in html
    assert Feedback.objects.count() == 0


def test_a_robot_filling_the_hidden_box_is_thanked_but_not_saved(client: Client) -> None:
    response = client.post(
        "/feedback/", {"rating": "satisfied", "comments": "buy", "website": "http://spam"}
    )
    assert response["Location"] == "/feedback/sent/"
    assert Feedback.objects.count() == 0


@override_settings(VIGIL_FEEDBACK_RATE_LIMIT=2)
def test_too_much_feedback_from_one_address_is_refused_kindly(client: Client) -> None:
    for _ in range(2):
        client.post("/feedback/", {"rating": "satisfied"})
    response = client.post("/feedback/", {"rating": "satisfied"})
    assert response.status_code == 429
    assert "Please try again later" in response.content.decode()
    assert Feedback.objects.count() == 2
    other = client.post("/feedback/", {"rating": "satisfied"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.COORDINATOR, 200),
        (Role.SUPERVISOR, 200),
        (Role.ADMINISTRATOR, 200),
        (Role.INVESTIGATOR, 404),
        (Role.CALL_HANDLER, 404),
        (Role.OFFENDER_MANAGER, 404),
        (Role.PARTNER, 404),
        (Role.DPO, 404),
    ],
)
def test_only_coordinators_supervisors_and_administrators_read_feedback(
    staff_client: Callable[..., Client], role: str, status: int
) -> None:
    client = staff_client(role)
    assert client.get("/staff/feedback/").status_code == status
    assert client.get("/staff/feedback/export.csv").status_code == status


def test_anonymous_visitors_are_sent_to_sign_in() -> None:
    response = Client().get("/staff/feedback/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def test_staff_read_feedback_and_see_it_in_the_menu(staff_client: Callable[..., Client]) -> None:
    Feedback.objects.create(rating="dissatisfied", comments="The map was slow")
    html = staff_client(Role.COORDINATOR).get("/staff/feedback/").content.decode()
    assert "The map was slow" in html
    assert "Dissatisfied" in html
    assert 'href="/staff/feedback/"' in html


def test_feedback_exports_as_csv_safe_for_spreadsheets(
    staff_client: Callable[..., Client],
) -> None:
    Feedback.objects.create(rating="satisfied", comments='=HYPERLINK("http://x")')
    Feedback.objects.create(rating="very_satisfied", comments="Kind words")
    response = staff_client(Role.SUPERVISOR).get("/staff/feedback/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["received", "rating", "comments"]
    assert {row[2] for row in rows[1:]} == {'\'=HYPERLINK("http://x")', "Kind words"}
    assert AuditEvent.objects.filter(action="feedback.export").count() == 1
