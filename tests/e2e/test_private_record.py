"""Issue 23 in a real browser: two people keep private records naming one man; each is told by
their safe channel; one shares, and the coordinator sees exactly what she shared. Quick exit on
every page, axe-core clean with best practice."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from vigil.accounts.models import Role, User
from vigil.notifications.models import OutboxMessage

from .conftest import axe_violations
from .test_axe_public import axe_with_best_practice
from .test_cases import sign_in as staff_sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def keep_a_record(page: Page, base: str, *, phone: str, account: str, email: str) -> str:
    """Fill in the record as a person would; return the page's reference and secret."""
    page.goto(f"{base}/")
    page.goto(f"{base}/private-record/")
    assert axe_with_best_practice(page) == []
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name="About the person")).to_be_visible()
    assert axe_with_best_practice(page) == []
    page.get_by_label("Their phone numbers (optional)").fill(phone)
    page.get_by_label("What has happened (optional)").fill(account)
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Your safe email address (optional)").fill(email)
    page.get_by_role("group", name="Might someone else read your messages?").get_by_label(
        "No"
    ).check()
    page.get_by_role("button", name="Keep my record").click()
    expect(page.get_by_role("heading", name="Your record is kept")).to_be_visible()
    assert axe_with_best_practice(page) == []
    reference = page.get_by_test_id("reference").inner_text()
    secret = page.get_by_test_id("secret").inner_text()
    return f"{reference} {secret}"


def test_two_records_naming_one_man_are_told_one_shares_and_the_coordinator_sees_only_that(
    live_server: Any, browser: Browser, make_staff: Callable[..., User]
) -> None:
    base = str(live_server.url)
    alice = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    keep_a_record(
        alice, base, phone="07700 900999", account="Alice: he waits by my car", email="a@x.org"
    )
    bea = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True).new_page()
    bea_codes = keep_a_record(
        bea, base, phone="+44 7700 900 999", account="Bea: he calls at night", email="b@x.org"
    )

    # Each is told through the safe channel she chose, in words that give nothing away.
    told = {
        m.recipient: m.body for m in OutboxMessage.objects.filter(purpose="private_record.match")
    }
    assert set(told) == {"a@x.org", "b@x.org"}
    assert all("900999" not in body and "police" not in body.lower() for body in told.values())

    # Bea signs in on another device with her reference and secret, and shares.
    reference, secret = bea_codes.split(" ")
    bea.context.clear_cookies()
    bea.goto(f"{base}/private-record/sign-in/")
    assert axe_with_best_practice(bea) == []
    bea.get_by_label("Reference").fill(reference)
    bea.get_by_label("Secret code").fill(secret)
    bea.get_by_role("button", name="Sign in").click()
    expect(
        bea.get_by_role("heading", name="Someone else has named the same person")
    ).to_be_visible()
    assert axe_with_best_practice(bea) == []
    bea.get_by_role("link", name="Choose what to share").click()
    assert axe_with_best_practice(bea) == []
    bea.get_by_label("What I wrote about what happened").check()
    bea.get_by_label("Talk to an independent advocate").check()
    bea.get_by_role("button", name="Share what I chose").click()
    expect(bea.get_by_text("We have shared only what you chose.")).to_be_visible()

    coordinator = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    staff_sign_in(coordinator, base, make_staff(Role.COORDINATOR, full_name="Cora Ordinator"))
    coordinator.goto(f"{base}/staff/private-records/matches/")
    assert axe_violations(coordinator) == []
    match = coordinator.get_by_test_id("match")
    expect(match).to_have_count(1)
    expect(match).to_contain_text("Bea: he calls at night")
    expect(match).to_contain_text("Talk to an independent advocate")
    expect(match).to_contain_text("Has not agreed to share anything")
    expect(match).not_to_contain_text("Alice")
    expect(match).not_to_contain_text("900999")
    expect(match).not_to_contain_text("b@x.org")
    for page in (alice, bea, coordinator):
        page.context.close()


PAGES_WITHOUT_SIGN_IN = ["/private-record/", "/private-record/new/", "/private-record/sign-in/"]


def test_quick_exit_works_on_every_private_record_page_and_leaves_nothing(
    live_server: Any, page: Page, settings: Any
) -> None:
    base = str(live_server.url)
    settings.VIGIL_QUICK_EXIT_URL = f"{base}/healthz"
    for path in PAGES_WITHOUT_SIGN_IN:
        page.goto(f"{base}{path}")
        page.get_by_role("button", name="Exit this page").click()
        page.wait_for_url(f"{base}/healthz")
    signed_in_pages = [
        "/private-record/kept/",
        "/private-record/yours/",
        "/private-record/yours/change/",
        "/private-record/yours/delete/",
    ]
    for number, path in enumerate(signed_in_pages):
        keep_a_record(page, base, phone=f"07700 90012{number}", account="words", email="a@x.org")
        page.goto(f"{base}{path}")
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        page.get_by_role("button", name="Exit this page").click()
        page.wait_for_url(f"{base}/healthz")
        # The exit ended the sign-in: the record does not open again on this device.
        page.goto(f"{base}/private-record/yours/")
        expect(page).to_have_url(re.compile(r"/private-record/sign-in/$"))


def test_the_error_states_are_axe_clean(live_server: Any, page: Page) -> None:
    base = str(live_server.url)
    for path in ["/private-record/new/", "/private-record/sign-in/"]:
        page.goto(f"{base}{path}")
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_selector(".govuk-error-summary")
        assert axe_with_best_practice(page) == [], path
