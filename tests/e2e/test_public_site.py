"""The public site in a real browser: quick exit, accessibility, phones, cookies, privacy."""

from __future__ import annotations

import contextlib
import gzip
import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import Error as PlaywrightError

from vigil.public_site.consent import (
    ANALYTICS,
    CONSENT_COOKIE,
    optional_cookies_register,
    optional_cookies_unregister,
    strictly_necessary_cookie_names,
)
from vigil.public_site.tests.test_pages import PUBLIC_PAGES

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _default_help_services(transactional_db: None) -> None:
    """Browser tests empty the database after each test; put back the help directory the
    migration loads, so the pages show what a new site shows."""
    from django.apps import apps

    migration = importlib.import_module("vigil.public_site.migrations.0002_default_help_services")
    migration.add_services(apps, None)


PAGES = [*PUBLIC_PAGES, "/no-such-page/"]
NECESSARY = strictly_necessary_cookie_names()
LANGUAGE_COOKIE = django_settings.LANGUAGE_COOKIE_NAME


def base_url(live_server: Any) -> str:
    return str(live_server.url)


def fits_the_screen(page: Page) -> bool:
    # Compare with the viewport we asked for: a mobile browser widens its layout viewport to
    # fit wide content, so window.innerWidth would grow with the very overflow we look for.
    width = page.viewport_size["width"] if page.viewport_size else 320
    return bool(page.evaluate(f"document.documentElement.scrollWidth <= {width}"))


def cookie_names(page: Page) -> set[str]:
    return {cookie["name"] for cookie in page.context.cookies()}


EXIT_BUTTON = {"en": "Exit this page", "cy": "Gadael y dudalen hon"}


def choose_language(tab: Page, base: str, language: str) -> None:
    """What the English | Cymraeg switch leaves behind: its session cookie."""
    if language != "en":
        tab.context.add_cookies([{"name": LANGUAGE_COOKIE, "value": language, "url": base}])


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("path", PAGES)
def test_page_is_accessible_fits_a_phone_and_sets_no_optional_cookie(
    live_server: Any, page: Page, phone: Page, path: str, language: str
) -> None:
    base = base_url(live_server)
    choose_language(page, base, language)
    choose_language(phone, base, language)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{base}{path}")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("button", name=EXIT_BUTTON[language])).to_be_visible()
    assert page.get_attribute("html", "lang") == language
    assert axe_violations(page) == []
    assert [url for url in requested if not url.startswith(base)] == []
    assert cookie_names(page) <= NECESSARY

    phone.goto(f"{base}{path}")
    assert axe_violations(phone) == []
    assert fits_the_screen(phone), f"{path} in {language} scrolls sideways at 320px"


@pytest.mark.parametrize("path", PAGES)
def test_escape_and_shift_three_times_leave_and_back_does_not_return(
    live_server: Any, page: Page, settings: Any, path: str
) -> None:
    base = base_url(live_server)
    settings.VIGIL_QUICK_EXIT_URL = f"{base}/healthz"
    for keys in (["Escape"], ["Shift", "Shift", "Shift"]):
        page.goto("about:blank")
        page.goto(f"{base}{path}")
        expect(page.get_by_role("button", name="Exit this page")).to_be_visible()
        for key in keys:
            page.keyboard.press(key)
        page.wait_for_url(f"{base}/healthz")
        page.go_back()
        assert page.url == "about:blank", f"{keys} on {path}: Back returned to {page.url}"


def test_the_exit_button_works_without_javascript_on_every_page(
    live_server: Any, browser: Browser, settings: Any
) -> None:
    base = base_url(live_server)
    settings.VIGIL_QUICK_EXIT_URL = f"{base}/healthz"
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for path in PAGES:
        page.goto(f"{base}{path}")
        page.get_by_role("button", name="Exit this page").click()
        page.wait_for_url(f"{base}/healthz")
    context.close()


def test_no_banner_asks_about_cookies_the_site_does_not_set(live_server: Any, page: Page) -> None:
    page.goto(f"{base_url(live_server)}/get-help/")
    expect(page.locator(".govuk-cookie-banner")).to_have_count(0)
    page.goto(f"{base_url(live_server)}/cookies/")
    expect(page.get_by_text("We do not use any optional cookies", exact=False)).to_be_visible()
    assert cookie_names(page) <= NECESSARY


@pytest.fixture
def analytics() -> Iterator[None]:
    """A force that has added analytics cookies (Vigil itself sets none)."""
    optional_cookies_register(ANALYTICS)
    yield
    optional_cookies_unregister(ANALYTICS.name)


@pytest.mark.usefixtures("analytics")
def test_reject_keeps_only_necessary_cookies_and_the_choice_can_change_without_js(
    live_server: Any, browser: Browser
) -> None:
    base = base_url(live_server)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/get-help/")
    assert cookie_names(page) == set()
    page.get_by_role("button", name="Reject optional cookies").click()
    expect(page.get_by_text("rejected optional cookies.", exact=False)).to_be_visible()
    assert page.url == f"{base}/get-help/?cookies=rejected"
    assert cookie_names(page) <= NECESSARY
    consent = {c["name"]: c for c in context.cookies()}[CONSENT_COOKIE]
    assert consent["value"] == "1.analytics-no"
    page.get_by_role("link", name="Hide cookie message").click()
    expect(page.get_by_role("button", name="Reject optional cookies")).to_have_count(0)

    page.goto(f"{base}/cookies/")
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Save cookie settings").click()
    expect(page.get_by_text("set your cookie preferences.", exact=False)).to_be_visible()
    consent = {c["name"]: c for c in context.cookies()}[CONSENT_COOKIE]
    assert consent["value"] == "1.analytics-yes"
    # Every cookie is a session cookie: nothing outlives the visit to show the site was used.
    assert all(cookie["expires"] == -1 for cookie in context.cookies())
    context.close()


def test_the_language_switch_works_without_javascript_and_is_forgotten_with_the_browser(
    live_server: Any, browser: Browser
) -> None:
    base = base_url(live_server)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/get-help/")
    assert cookie_names(page) == set()
    page.get_by_role("button", name="Cymraeg").click()
    expect(page.get_by_role("heading", level=1, name="Cael help a chymorth")).to_be_visible()
    assert page.url == f"{base}/get-help/"
    assert page.get_attribute("html", "lang") == "cy"
    expect(page.get_by_role("button", name="Gadael y dudalen hon")).to_be_visible()
    language = {c["name"]: c for c in context.cookies()}[LANGUAGE_COOKIE]
    assert language["value"] == "cy"
    assert language["expires"] == -1  # a session cookie: gone when the browser closes
    assert language["httpOnly"] is True
    assert cookie_names(page) <= NECESSARY

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1, name="Get help and support")).to_be_visible()
    assert page.get_attribute("html", "lang") == "en"
    context.close()


def test_the_quick_exit_speaks_welsh_on_welsh_pages(
    live_server: Any, page: Page, settings: Any
) -> None:
    base = base_url(live_server)
    settings.VIGIL_QUICK_EXIT_URL = f"{base}/healthz"
    choose_language(page, base, "cy")
    page.goto(f"{base}/")
    status = page.locator("[data-vigil-quick-exit] [role=status]")
    page.keyboard.press("Shift")
    expect(status).to_have_text("Shift, pwyswch 2 waith eto i adael.")
    page.keyboard.press("Shift")
    expect(status).to_have_text("Shift, pwyswch 1 waith eto i adael.")
    page.keyboard.press("Shift")
    page.wait_for_url(f"{base}/healthz")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_self_check_asks_one_question_a_page_and_never_puts_answers_in_the_url(
    live_server: Any, page: Page, phone: Page, settings: Any, viewport: str
) -> None:
    base = base_url(live_server)
    settings.VIGIL_QUICK_EXIT_URL = f"{base}/healthz"
    tab = phone if viewport == "phone" else page
    tab.goto(f"{base}/is-this-stalking/")
    tab.get_by_role("button", name="Start now").click()
    expect(tab.get_by_role("heading", name="What has the person been doing?")).to_be_visible()
    tab.get_by_role("button", name="Continue").click()
    expect(tab.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert axe_violations(tab) == []
    tab.get_by_label("Following you").check()
    tab.get_by_label("Tracking where you are, for example with an AirTag or an app").check()
    tab.get_by_role("button", name="Continue").click()
    for question, answer in [
        ("Has it happened more than once?", "Yes, more than once"),
        ("Do you want it to stop?", "Yes"),
        ("Does the person seem fixed on you?", "Yes"),
        ("Has it made you afraid, worried, or change how you live?", "I'm not sure"),
    ]:
        expect(tab.get_by_role("heading", name=question)).to_be_visible()
        assert axe_violations(tab) == []
        assert fits_the_screen(tab)
        tab.get_by_label(answer, exact=True).check()
        tab.get_by_role("button", name="Continue").click()
        assert tab.url == f"{base}/is-this-stalking/"
    expect(
        tab.get_by_role("heading", name="What you have told us sounds like stalking")
    ).to_be_visible()
    expect(tab.get_by_text("If you are in danger now, call 999.").first).to_be_visible()
    expect(tab.get_by_role("link", name="Report it online")).to_be_visible()
    assert axe_violations(tab) == []
    assert fits_the_screen(tab)
    assert cookie_names(tab) == set()
    # The result came from a POST: Escape still leaves, and Back does not show it again.
    tab.keyboard.press("Escape")
    tab.wait_for_url(f"{base}/healthz")
    # The page before is a POST that was never stored (no-store): the browser refuses to show
    # it again rather than resubmitting, so the answers stay hidden.
    with contextlib.suppress(PlaywrightError):
        tab.go_back()
    expect(tab.get_by_text("sounds like stalking")).to_have_count(0)


def test_feedback_is_sent_from_the_beta_banner(live_server: Any, page: Page) -> None:
    from vigil.public_site.models import Feedback

    page.goto(f"{base_url(live_server)}/")
    page.get_by_role("link", name="feedback").first.click()
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Satisfied", exact=True).check()
    page.get_by_label("How could we improve this service? (optional)").fill("Easy to read")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    assert Feedback.objects.get().comments == "Easy to read"


def test_home_page_transfer_is_under_150_kb_compressed(live_server: Any, page: Page) -> None:
    base = base_url(live_server)
    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{base}/")
    page.wait_for_load_state("networkidle")
    total = 0
    for response in responses:
        assert response.url.startswith(base)
        # What the wire would carry with gzip on (WhiteNoise serves pre-compressed files in
        # production), plus a generous allowance for headers.
        total += len(gzip.compress(response.body(), 6)) + 600
    assert total < 150 * 1024, f"home page is {total} bytes compressed"


def test_a_coordinator_reads_feedback_and_can_download_it(
    live_server: Any, page: Page, make_staff: Any
) -> None:
    from django_otp.oath import totp

    from vigil.accounts.models import Role
    from vigil.accounts.tests.factories import TEST_PASSWORD
    from vigil.public_site.models import Feedback

    Feedback.objects.create(rating="satisfied", comments="The help page was clear")
    coordinator = make_staff(Role.COORDINATOR, email="cora@test.police.uk")
    device = coordinator.totpdevice_set.get()
    base = base_url(live_server)
    page.goto(f"{base}/staff/feedback/")
    page.get_by_label("Email address").fill("cora@test.police.uk")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Feedback", exact=True).click()
    expect(page.get_by_text("The help page was clear")).to_be_visible()
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download all feedback (CSV)").click()
    assert "The help page was clear" in download.value.path().read_text(encoding="utf-8")
