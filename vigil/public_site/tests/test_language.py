"""English or Welsh: a plain form on every public page, remembered only until the browser closes."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db

LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME


def switch(client: Client, language: str, next_url: str = "/", **headers: str) -> object:
    return client.post("/language/", {"language": language, "next": next_url}, headers=headers)


def test_every_public_page_offers_welsh_by_a_form_that_needs_no_javascript_and_no_cookie(
    client: Client,
) -> None:
    response = client.get("/get-help/")
    html = response.content.decode()
    assert '<html lang="en"' in html
    form = re.search(r'<form method="post" action="/language/".*?</form>', html, re.S)
    assert form is not None
    assert '<input type="hidden" name="next" value="/get-help/">' in form.group(0)
    assert re.search(
        r'<button type="submit" name="language" value="cy" lang="cy"[^>]*>Cymraeg<', form.group(0)
    )
    assert '<span lang="en" aria-current="true">English</span>' in form.group(0)
    # No CSRF token: it would be a cookie on every page before the visitor has done anything.
    assert "csrfmiddlewaretoken" not in form.group(0)
    assert response.cookies == {}


def test_choosing_welsh_goes_back_to_the_same_page_now_in_welsh(client: Client) -> None:
    response = switch(client, "cy", "/get-help/")
    assert response.status_code == 302
    assert response["Location"] == "/get-help/"
    html = client.get("/get-help/").content.decode()
    assert '<html lang="cy"' in html
    assert "Cael help a chymorth" in html  # the heading
    assert "Gadael y dudalen hon" in html  # Exit this page
    assert "prif gynnwys" in html  # Skip to main content
    assert "Cymorth i Ddioddefwyr (Victim Support)" in html  # a help service's own text
    assert "Get help and support" not in html
    assert re.search(
        r'<button type="submit" name="language" value="en" lang="en"[^>]*>English<', html
    )
    assert '<span lang="cy" aria-current="true">Cymraeg</span>' in html


def test_the_home_page_in_welsh_keeps_the_emergency_number_and_the_quick_exit(
    client: Client,
) -> None:
    switch(client, "cy")
    html = client.get("/").content.decode()
    assert "Cael help gyda stelcio ac aflonyddu" in html
    assert "Nid chi sydd ar fai, byth." in html
    assert "ffoniwch 999" in html
    assert 'href="/exit/"' in html
    # The quick exit script's screen reader messages come from the page, in Welsh.
    assert 'data-vigil-exit-press-twice="Shift, pwyswch 2 waith eto i adael."' in html
    assert 'data-vigil-exit-title="Yn llwytho"' in html


def test_the_choice_is_a_session_cookie_that_scripts_cannot_read(client: Client) -> None:
    cookie = switch(client, "cy").cookies[LANGUAGE_COOKIE]
    assert cookie.value == "cy"
    # No expiry: the browser forgets it when it closes (and the quick exit clears it sooner).
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_switching_back_to_english(client: Client) -> None:
    switch(client, "cy")
    switch(client, "en")
    html = client.get("/get-help/").content.decode()
    assert '<html lang="en"' in html
    assert "Get help and support" in html


def test_a_browser_set_to_welsh_gets_welsh_without_choosing(client: Client) -> None:
    html = client.get("/", headers={"Accept-Language": "cy"}).content.decode()
    assert '<html lang="cy"' in html
    assert "Cael help gyda stelcio ac aflonyddu" in html


def test_a_switch_posted_from_another_site_is_refused(client: Client) -> None:
    response = switch(client, "cy", Origin="https://evil.example")
    assert response.status_code == 403
    assert LANGUAGE_COOKIE not in response.cookies


def test_the_switch_only_goes_back_to_a_page_on_this_site(client: Client) -> None:
    response = switch(client, "cy", "https://evil.example/")
    assert response["Location"] == "/"


def test_a_language_we_do_not_offer_is_refused_and_stores_nothing(client: Client) -> None:
    response = switch(client, "fr", "/get-help/")
    assert response.status_code == 400
    assert LANGUAGE_COOKIE not in response.cookies


def test_the_switch_is_not_a_page(client: Client) -> None:
    assert client.get("/language/").status_code == 405


def test_the_cookies_page_lists_the_language_cookie_and_when_it_goes(client: Client) -> None:
    html = client.get("/cookies/").content.decode()
    assert LANGUAGE_COOKIE in html
    assert "Remembers the language you chose, English or Welsh" in html
    assert "Some are only set when you use a form or choose a language." in html


def test_the_footer_is_in_the_language_of_each_page_whichever_was_shown_first(
    client: Client, settings: object
) -> None:
    """The footer is rendered once per language and kept (the layout's fragment cache): a
    Welsh page must never get the English footer kept from the page before, nor the other way."""
    cache.clear()
    report_page = "/report/"  # not in the public page cache: the layout renders each time
    english = client.get(report_page, headers={"Accept-Language": "en"}).content.decode()
    welsh = client.get(report_page, headers={"Accept-Language": "cy"}).content.decode()
    english_again = client.get(report_page, headers={"Accept-Language": "en"}).content.decode()
    assert "Support links" in english and "Hide your visit" in english
    assert "Dolenni cymorth" in welsh and "Cuddio eich ymweliad" in welsh
    assert "Support links" not in welsh
    assert english_again.count("Support links") == 1 and "Dolenni cymorth" not in english_again
    # A force that renames itself is named in the footer at once.
    settings.VIGIL_FORCE_NAME = "Gwent Police"  # type: ignore[attr-defined]
    renamed = client.get(report_page, headers={"Accept-Language": "en"}).content.decode()
    assert "© Gwent Police" in renamed
