from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import path

from vigil.public_site import views

pytestmark = pytest.mark.django_db


def broken_view(request: object) -> None:
    raise RuntimeError("secret internal detail in a stack trace")


urlpatterns = [
    path("boom/", broken_view),
    *__import__("vigil.urls", fromlist=["urlpatterns"]).urlpatterns,
]
handler500 = "vigil.public_site.views.server_error"
handler404 = "vigil.public_site.views.page_not_found"


def assert_public_layout(html: str) -> None:
    assert "Skip to main content" in html
    assert "Exit this page" in html
    assert "Beta" in html
    assert "Accessibility" in html and "Privacy" in html and "Cookies" in html


def test_a_missing_page_is_a_kind_404_in_the_public_layout(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert_public_layout(html)


@override_settings(ROOT_URLCONF=__name__)
def test_a_crash_shows_a_calm_500_without_a_stack_trace() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert "your answers will still be there" in html
    assert "try again" in html
    assert "secret internal detail" not in html
    assert "Traceback" not in html
    assert_public_layout(html)


def test_a_csrf_failure_explains_and_reassures() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/staff/login/", {"username": "a@b.c", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your page timed out" in html
    assert_public_layout(html)


@pytest.mark.parametrize(
    ("view", "status", "text"),
    [
        (views.bad_request, 400, "Something was not right"),
        (views.permission_denied, 403, "You cannot see this page"),
    ],
)
def test_400_and_403_pages(rf: object, view: object, status: int, text: str) -> None:
    request = rf.get("/")  # type: ignore[attr-defined]
    response = view(request, Exception("detail"))  # type: ignore[operator]
    assert response.status_code == status
    assert text in response.content.decode()
    assert "detail" not in response.content.decode()


def test_healthz_reports_the_database_and_the_queue(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["task_queue"]["status"] == "ok"


def test_healthz_is_503_when_the_database_cannot_be_reached(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.backends.base.base import BaseDatabaseWrapper

    def unreachable(self: object, *args: object) -> None:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["status"] == "error"


def test_quick_exit_ends_the_session_and_leaves_no_referrer(client: Client) -> None:
    session = client.session
    session["draft"] = "something typed"
    session.save()
    response = client.get("/exit/")
    assert response.status_code == 302
    assert response["Location"] == "https://www.bbc.co.uk/weather"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "cookies" in response["Clear-Site-Data"]
    assert "draft" not in client.session


def test_information_pages_exist_and_others_do_not(client: Client) -> None:
    for slug in ("accessibility", "privacy", "cookies", "hide-your-visit"):
        assert client.get(f"/{slug}/").status_code == 200
    assert client.get("/staff-secrets/").status_code == 404


def test_quick_exit_forgets_the_report_in_progress(client: Client) -> None:
    client.post("/report/")
    assert client.get("/report/who/").status_code == 200  # the report in progress is found

    response = client.get("/exit/")

    gone = response.cookies["vigil_report"]
    assert gone.value == "" and gone["path"] == "/report/"
    assert gone["expires"] == "Thu, 01 Jan 1970 00:00:00 GMT"
    assert client.get("/report/who/")["Location"] == "/report/"
