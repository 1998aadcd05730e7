from __future__ import annotations

from collections.abc import Callable

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from vigil.accounts.models import Role, User
from vigil.accounts.tests.factories import TEST_PASSWORD

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("path", ["/", "/staff/login/", "/no-such-page/", "/accessibility/"])
def test_pages_have_no_accessibility_violations(live_server: object, page: Page, path: str) -> None:
    page.goto(f"{live_server.url}{path}")  # type: ignore[attr-defined]
    assert axe_violations(page) == []


def test_home_page_loads_no_third_party_resource_and_breaks_no_csp(
    live_server: object, page: Page
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    requested: list[str] = []
    csp_errors: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{base}/")
    page.wait_for_load_state("networkidle")
    assert requested, "the page made no requests at all"
    assert all(url.startswith(base) for url in requested), requested
    assert csp_errors == []
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )


def test_escape_leaves_the_site_and_back_does_not_return(
    live_server: object, page: Page, settings: object
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    settings.VIGIL_QUICK_EXIT_URL = f"{base}/healthz"  # type: ignore[attr-defined]
    page.goto("about:blank")
    page.goto(f"{base}/")
    page.keyboard.press("Escape")
    page.wait_for_url(f"{base}/healthz")
    page.go_back()
    assert page.url == "about:blank"


def test_the_exit_button_works_without_javascript(
    live_server: object, browser: object, settings: object
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    settings.VIGIL_QUICK_EXIT_URL = f"{base}/healthz"  # type: ignore[attr-defined]
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{base}/")
    page.get_by_role("button", name="Exit this page").click()
    page.wait_for_url(f"{base}/healthz")
    context.close()


def test_an_investigator_signs_in_with_password_and_code(
    live_server: object, page: Page, make_staff: Callable[..., User]
) -> None:
    officer = make_staff(Role.INVESTIGATOR, email="ivy@test.police.uk", full_name="Ivy Stone")
    device = officer.totpdevice_set.get()
    base = live_server.url  # type: ignore[attr-defined]

    page.goto(f"{base}/staff/")
    expect(page.get_by_role("heading", name="Sign in to the staff service")).to_be_visible()
    page.get_by_label("Email address").fill("ivy@test.police.uk")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()

    expect(
        page.get_by_role("heading", name="Enter the code from your authenticator app")
    ).to_be_visible()
    assert axe_violations(page) == []
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Welcome, Ivy Stone")).to_be_visible()
    expect(page.get_by_text("Signed in as Ivy Stone (Investigator)")).to_be_visible()
    assert axe_violations(page) == []


def test_a_wrong_password_shows_the_error_summary_and_keeps_the_email(
    live_server: object, page: Page, make_staff: Callable[..., User]
) -> None:
    make_staff(email="ivy@test.police.uk")
    page.goto(f"{live_server.url}/staff/login/")  # type: ignore[attr-defined]
    page.get_by_label("Email address").fill("ivy@test.police.uk")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_value("ivy@test.police.uk")
    assert page.title().startswith("Error:")
    assert axe_violations(page) == []


def test_staff_are_warned_before_an_idle_sign_out_and_can_stay(
    live_server: object, page: Page, make_staff: Callable[..., User]
) -> None:
    officer = make_staff(Role.INVESTIGATOR, email="ivy@test.police.uk")
    device = officer.totpdevice_set.get()
    base = live_server.url  # type: ignore[attr-defined]
    page.clock.install()
    page.goto(f"{base}/staff/login/")
    page.get_by_label("Email address").fill("ivy@test.police.uk")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Sign in").click()
    dialog = page.get_by_role("dialog", name="You are about to be signed out")
    expect(dialog).to_be_hidden()

    page.clock.fast_forward("28:01")
    expect(dialog).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith("/staff/keepalive/")) as keepalive:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert keepalive.value.status == 204
    expect(dialog).to_be_hidden()

    page.clock.fast_forward("30:01")
    page.wait_for_url(f"{base}/staff/login/?timeout=1")
    expect(page.get_by_text("We signed you out because you had not done anything")).to_be_visible()
    page.goto(f"{base}/staff/")
    expect(page.get_by_role("heading", name="Sign in to the staff service")).to_be_visible()
