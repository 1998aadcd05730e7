from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client, RequestFactory

from vigil.public_site.consent import (
    ANALYTICS,
    CONSENT_COOKIE,
    consent_allows,
    optional_cookies_register,
    optional_cookies_unregister,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def analytics() -> Iterator[None]:
    """A force that has added analytics cookies (Vigil itself sets none)."""
    optional_cookies_register(ANALYTICS)
    yield
    optional_cookies_unregister(ANALYTICS.name)


def test_with_no_optional_cookie_no_banner_asks(client: Client) -> None:
    html = client.get("/").content.decode()
    assert "govuk-cookie-banner" not in html
    assert "analytics" not in html.lower()


def test_with_no_optional_cookie_the_cookies_page_lists_the_essential_ones_and_asks_nothing(
    client: Client,
) -> None:
    html = client.get("/cookies/").content.decode()
    assert "Essential cookies" in html and "vigil_report" in html
    assert "We do not use any optional cookies" in html
    assert "Save cookie settings" not in html


def test_with_no_optional_cookie_a_choice_posted_keeps_no_cookie(client: Client) -> None:
    response = client.post("/cookies/", {"cookies": "accept", "next": "/"})
    assert response.status_code == 302
    assert CONSENT_COOKIE not in response.cookies


@pytest.mark.usefixtures("analytics")
def test_before_a_choice_the_banner_shows_and_no_cookie_is_set(client: Client) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert "Accept optional cookies" in html
    assert "cookies that measure how the website is used" in html
    assert response.cookies == {}


@pytest.mark.usefixtures("analytics")
def test_accepting_remembers_the_choice_until_the_browser_closes_and_goes_back(
    client: Client,
) -> None:
    response = client.post("/cookies/", {"cookies": "accept", "next": "/get-help/"})
    assert response.status_code == 302
    assert response["Location"] == "/get-help/?cookies=accepted"
    cookie = response.cookies[CONSENT_COOKIE]
    # No lifetime: a cookie that outlived the visit would show someone used this site.
    assert cookie["max-age"] == cookie["expires"] == ""
    assert cookie.value == "1.analytics-yes"
    html = client.get(response["Location"]).content.decode()
    assert "ve accepted optional cookies." in html
    assert "Accept optional cookies" not in html


@pytest.mark.usefixtures("analytics")
def test_rejecting_sets_only_the_choice_cookie(client: Client) -> None:
    response = client.post("/cookies/", {"cookies": "reject", "next": "/"})
    assert list(response.cookies) == [CONSENT_COOKIE]
    assert response.cookies[CONSENT_COOKIE].value == "1.analytics-no"
    html = client.get("/?cookies=rejected").content.decode()
    assert "ve rejected optional cookies." in html


@pytest.mark.usefixtures("analytics")
def test_the_choice_can_be_changed_on_the_cookies_page(client: Client) -> None:
    client.post("/cookies/", {"cookies": "reject", "next": "/"})
    response = client.post("/cookies/", {"analytics": "yes"})
    assert response["Location"] == "/cookies/?saved=1"
    assert response.cookies[CONSENT_COOKIE].value == "1.analytics-yes"
    html = client.get("/cookies/?saved=1").content.decode()
    assert "ve set your cookie preferences." in html
    assert re.search(r'value="yes"[^>]*checked', html)


@pytest.mark.usefixtures("analytics")
def test_no_cookie_a_visitor_gets_outlives_the_browser_session() -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/report/")  # a form: the CSRF cookie is set
    token = page.cookies["csrftoken"].value
    report = client.post("/report/", {"csrfmiddlewaretoken": token})  # starts a report
    choice = client.post(
        "/cookies/", {"cookies": "reject", "next": "/", "csrfmiddlewaretoken": token}
    )
    language = client.post(
        "/language/", {"language": "cy", "next": "/", "csrfmiddlewaretoken": token}
    )
    cookies = {**page.cookies, **report.cookies, **choice.cookies, **language.cookies}
    assert {"csrftoken", "vigil_report", CONSENT_COOKIE, "vigil_language"} <= set(cookies)
    for name, cookie in cookies.items():
        assert cookie["max-age"] == cookie["expires"] == "", name


@pytest.mark.usefixtures("analytics")
def test_the_cookies_page_asks_for_an_answer(client: Client) -> None:
    html = client.post("/cookies/", {}).content.decode()
    assert "There is a problem" in html and "Select yes or no" in html


@pytest.mark.usefixtures("analytics")
def test_a_choice_posted_from_another_site_is_refused(client: Client) -> None:
    response = client.post(
        "/cookies/", {"cookies": "accept"}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    assert CONSENT_COOKIE not in response.cookies


@pytest.mark.usefixtures("analytics")
def test_the_return_address_must_be_on_this_site(client: Client) -> None:
    response = client.post("/cookies/", {"cookies": "accept", "next": "//evil.example/"})
    assert response["Location"] == "/?cookies=accepted"


@pytest.mark.usefixtures("analytics")
def test_optional_features_are_off_until_accepted(rf: RequestFactory) -> None:
    request = rf.get("/")
    assert not consent_allows(request, "analytics")
    request.COOKIES[CONSENT_COOKIE] = "1.analytics-no"
    assert not consent_allows(request, "analytics")
    request.COOKIES[CONSENT_COOKIE] = "1.analytics-yes"
    assert consent_allows(request, "analytics")
    request.COOKIES[CONSENT_COOKIE] = "garbage"
    assert not consent_allows(request, "analytics")


@pytest.mark.usefixtures("analytics")
def test_templates_get_the_consent_flag(client: Client) -> None:
    response = client.get("/")
    assert response.context["optional_cookies_allowed"] == {"analytics": False}
    client.cookies[CONSENT_COOKIE] = "1.analytics-yes"
    response = client.get("/")
    assert response.context["optional_cookies_allowed"] == {"analytics": True}
    assert not response.context["show_cookie_banner"]
