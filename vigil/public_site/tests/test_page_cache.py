"""Issue 22: public pages come from a cache per language and cookie choice, and nothing
personal is ever cached or served from it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from vigil.accounts.models import Role
from vigil.public_site.page_cache import CACHE_ALIAS, NONCE_PLACEHOLDER
from vigil.reporting.tests.test_tracking import _reported, _signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings: Any) -> Iterator[None]:
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    caches[CACHE_ALIAS].clear()
    yield
    caches[CACHE_ALIAS].clear()


def _cache_state(response: Any) -> str | None:
    return response.headers.get("X-Vigil-Page-Cache")


def _nonces(response: Any) -> tuple[set[str], str]:
    in_page = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
    header = response["Content-Security-Policy"]
    return in_page, header


def test_a_public_page_is_rendered_once_then_served_from_the_cache() -> None:
    first = Client().get("/")
    second = Client().get("/")
    assert (_cache_state(first), _cache_state(second)) == ("miss", "hit")
    assert second.status_code == 200
    assert "Exit this page" in second.content.decode()


def test_each_response_has_its_own_nonce_matching_its_header() -> None:
    Client().get("/get-help/")
    served = [Client().get("/get-help/") for _ in range(2)]
    seen = []
    for response in served:
        assert _cache_state(response) == "hit"
        nonces, header = _nonces(response)
        assert len(nonces) == 1
        (nonce,) = nonces
        assert f"'nonce-{nonce}'" in header
        assert NONCE_PLACEHOLDER not in response.content.decode()
        seen.append(nonce)
    assert seen[0] != seen[1]


def test_welsh_and_english_are_separate_variants() -> None:
    english = Client().get("/").content.decode()
    welsh_client = Client()
    welsh_client.cookies["vigil_language"] = "cy"
    welsh = welsh_client.get("/")
    assert _cache_state(welsh) == "miss"
    assert 'lang="cy"' in welsh.content.decode() and 'lang="en"' in english


@pytest.fixture
def analytics() -> Iterator[None]:
    """A force that has added analytics cookies: visitors are asked, and their choice is a
    variant of the page (Vigil itself sets no optional cookie, so nobody is asked)."""
    from vigil.public_site.consent import (
        ANALYTICS,
        optional_cookies_register,
        optional_cookies_unregister,
    )

    optional_cookies_register(ANALYTICS)
    caches[CACHE_ALIAS].clear()
    yield
    optional_cookies_unregister(ANALYTICS.name)
    caches[CACHE_ALIAS].clear()


def test_the_cookie_choice_is_a_variant_and_the_banner_follows_it(analytics: None) -> None:
    first = Client().get("/")  # cached with the banner: no choice made yet
    assert "govuk-cookie-banner" in first.content.decode()
    chooser = Client()
    response = chooser.post("/cookies/", {"cookies": "reject", "next": "/"})
    assert response.status_code == 302
    chosen = chooser.get("/")
    assert _cache_state(chosen) == "miss"
    assert "govuk-cookie-banner" not in chosen.content.decode()
    assert "govuk-cookie-banner" in Client().get("/").content.decode()


def test_a_page_for_a_signed_in_tracking_user_is_never_cached_nor_served_from_the_cache() -> None:
    report, secret = _reported()
    reporter = _signed_in(report, secret)
    caches[CACHE_ALIAS].clear()
    mine = reporter.get("/")
    assert _cache_state(mine) is None
    # A stranger's visit is not served the reporter's copy, because none was kept.
    theirs = Client().get("/")
    assert _cache_state(theirs) == "miss"
    # Nor is the reporter served the stranger's copy: their session may change the page.
    assert _cache_state(reporter.get("/")) is None


def test_signed_in_staff_are_never_served_from_the_cache(
    staff_client: Callable[..., Client],
) -> None:
    Client().get("/")
    assert _cache_state(staff_client(Role.INVESTIGATOR).get("/")) is None


def test_a_page_with_a_csrf_token_is_never_cached(rf: Any) -> None:
    from django.http import HttpResponse
    from django.middleware.csrf import get_token
    from django.template import engines

    from vigil.public_site.page_cache import cached_public_page

    template = engines["django"].from_string(
        '<form method="post"><input name="csrfmiddlewaretoken" value="{{ token }}"></form>'
    )

    @cached_public_page
    def form_page(request: Any) -> HttpResponse:
        return HttpResponse(template.render({"token": get_token(request)}))

    for _ in range(2):
        request = rf.get("/some-form/")
        response = form_page(request)
        assert _cache_state(response) is None
    assert caches[CACHE_ALIAS].get("anything") is None


def test_a_response_that_sets_a_cookie_is_never_cached(rf: Any) -> None:
    from django.http import HttpResponse

    from vigil.public_site.page_cache import cached_public_page

    @cached_public_page
    def sets_cookie(request: Any) -> HttpResponse:
        response = HttpResponse("<p>hello</p>")
        response.set_cookie("vigil_report", "draft-123")
        return response

    for _ in range(2):
        assert _cache_state(sets_cookie(rf.get("/x/"))) is None


def test_a_query_string_or_another_cookie_bypasses_the_cache() -> None:
    Client().get("/")
    assert _cache_state(Client().get("/?utm_source=x")) is None
    other = Client()
    other.cookies["vigil_report"] = "draft"
    assert _cache_state(other.get("/")) is None


def test_the_quick_exit_still_works_from_a_cached_page() -> None:
    Client().get("/what-stalking-is/")
    visitor = Client()
    page = visitor.get("/what-stalking-is/")
    assert _cache_state(page) == "hit"
    assert 'href="/exit/"' in page.content.decode()
    leave = visitor.get("/exit/")
    assert leave.status_code == 302
    assert leave["Referrer-Policy"] == "no-referrer"


def test_the_cookies_page_shows_each_visitors_own_choice(analytics: None) -> None:
    Client().get("/cookies/")
    chooser = Client()
    chooser.post("/cookies/", {"cookies": "accept", "next": "/"})
    page = chooser.get("/cookies/")
    assert _cache_state(page) == "miss"
    assert "checked" in page.content.decode()
    assert "checked" not in Client().get("/cookies/").content.decode()
