"""Accessibility of the report pages the main journey does not reach, error states included."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from vigil.accounts.models import Role
from vigil.reporting.models import Report
from vigil.reporting.tests.journey import fill_until_check, post, send

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("VIGIL_SHOTS", "")


def _checked(page: Page, name: str) -> None:
    """No axe violations; with VIGIL_SHOTS=dir, screenshots at 320 and 1280 wide too."""
    assert axe_violations(page) == [], name
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        for width in (320, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            page.screenshot(path=Path(SHOTS) / f"pages-{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def _sent_report() -> tuple[Report, str]:
    client = Client()
    fill_until_check(client)
    send(client)
    page = client.get("/report/sent/").content.decode()
    return Report.objects.get(), page.split('data-testid="secret">')[1].split("<")[0]


def test_branch_pages_have_no_accessibility_violations(live_server: object, page: Page) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.goto(f"{base}/report/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Someone reporting for them").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="About you, the person reporting")).to_be_visible()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("link", name="Enter your full name")).to_be_visible()
    _checked(page, "your-details-error")
    page.get_by_label("Your full name").fill("Bob Friend")
    page.get_by_role("button", name="Save and continue").click()
    # The reporter's own ways of contact (issue 16): their record, not the victim's.
    expect(page.get_by_role("heading", name="Contacting you safely")).to_be_visible()
    page.get_by_label("Email", exact=True).check()
    for question in (
        "Can we leave a voicemail?",
        "Can we say we are the police?",
        "Might someone else read your messages or open your post?",
    ):
        page.get_by_role("group", name=question).get_by_label("No", exact=True).check()
    _checked(page, "reporter-contact")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Call 999 now")).to_be_visible()
    _checked(page, "call-999")
    page.get_by_role("link", name="I am safe now, carry on with my report").click()
    expect(page.get_by_label("Their full name")).to_be_visible()
    page.goto(f"{base}/report/")
    expect(page.get_by_role("button", name="Continue your report")).to_be_visible()
    _checked(page, "start-continue")


def test_tracking_pages_have_no_accessibility_violations(live_server: object, page: Page) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    report, secret = _sent_report()
    page.goto(f"{base}/report/track/")
    page.get_by_label("Report reference").fill(report.reference)
    page.get_by_label("Secret code").fill(secret)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your report")).to_be_visible()
    for link, button in [
        ("Add evidence", "Upload files"),
        ("Tell us about something new that has happened", "Save"),
        ("Change how we contact you", "Save"),
        ("Withdraw your report", "Withdraw report"),
    ]:
        page.get_by_role("link", name=link).click()
        _checked(page, link.split()[0].lower())
        if link == "Change how we contact you":
            page.get_by_label("Letter").check()
            page.get_by_label("None of these: do not contact me").check()
        page.get_by_role("button", name=button).click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        _checked(page, link.split()[0].lower() + "-error")
        page.get_by_role("link", name="Back to your report").click()


def test_a_locked_sign_in_has_no_accessibility_violations(
    live_server: object, page: Page, settings: object
) -> None:
    settings.REPORT_TRACK_FAILURE_LIMIT = 1  # type: ignore[attr-defined]
    base = live_server.url  # type: ignore[attr-defined]
    page.goto(f"{base}/report/track/")
    # The first wrong try starts this address's wait; the next one is told how long it is.
    for _ in range(2):
        page.get_by_label("Report reference").fill("ACDE-FGHJ-K")
        page.get_by_label("Secret code").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("please wait 1 minute")).to_be_visible()
    _checked(page, "locked")


def test_a_limited_start_has_no_accessibility_violations(
    live_server: object, page: Page, settings: object
) -> None:
    settings.REPORT_DRAFTS_PER_ADDRESS_PER_HOUR = 0  # type: ignore[attr-defined]
    page.goto(f"{live_server.url}/report/")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Start now").click()
    expect(page.get_by_text("You cannot start a new report just now")).to_be_visible()
    _checked(page, "draft-limited")


def test_staff_report_pages_have_no_accessibility_violations(
    live_server: object, page: Page, staff_client: Callable[..., Client]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    report, _secret = _sent_report()
    staff = staff_client(Role.CALL_HANDLER)
    post(staff, f"/staff/reports/{report.pk}/", {"body": "Hello, is now a safe time?"})
    page.context.add_cookies(
        [{"name": "vigil_session", "value": staff.cookies["vigil_session"].value, "url": base}]
    )
    page.goto(f"{base}/staff/reports/")
    _checked(page, "staff-list")
    page.get_by_role("link", name=report.reference).click()
    expect(page.get_by_text("Hello, is now a safe time?")).to_be_visible()
    _checked(page, "staff-detail")
    page.get_by_role("button", name="Send to reporter").click()
    expect(page.get_by_role("link", name="Write a message")).to_be_visible()
    _checked(page, "staff-detail-error")
