"""The victim's main journey in a real browser: with JavaScript, and again without it.

Every page is checked with axe-core, error states included. Set VIGIL_SHOTS=dir to keep a
full-page screenshot of every step at 320 and 1280 pixels wide.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from vigil.accounts.models import Role, User
from vigil.reporting.models import MessageDirection, Report, ReportMessage
from vigil.reporting.services import report_message_to_reporter
from vigil.reporting.tests.journey import pdf_bytes, png_bytes

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 200
SHOTS = os.environ.get("VIGIL_SHOTS", "")


class Walker:
    """Checks each page as it arrives: no axe violations, and a screenshot if asked for."""

    def __init__(self, page: Page, name: str, *, javascript: bool) -> None:
        self.page = page
        self.name = name
        self.javascript = javascript
        self.count = 0

    def check(self, label: str) -> None:
        self.count += 1
        if self.javascript:  # axe is JavaScript; the run without it checks the same pages
            violations = axe_violations(self.page)
            assert violations == [], f"{label}: {violations}"
        if SHOTS:
            folder = Path(SHOTS)
            folder.mkdir(parents=True, exist_ok=True)
            size = self.page.viewport_size or {"width": 1280, "height": 900}
            for width in (320, 1280):
                self.page.set_viewport_size({"width": width, "height": 800})
                self.page.screenshot(
                    path=folder / f"{self.name}-{self.count:02d}-{label}-{width}.png",
                    full_page=True,
                )
            self.page.set_viewport_size(size)

    def go_on(self, button: str = "Save and continue") -> None:
        self.page.get_by_role("button", name=button).click()


@pytest.fixture
def no_js_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _fill_date(page: Page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def _journey(page: Page, base: str, tmp_path: Path, *, javascript: bool) -> tuple[str, str]:
    walk = Walker(page, "js" if javascript else "nojs", javascript=javascript)
    page.goto(f"{base}/report/")
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    walk.check("start")
    page.get_by_role("button", name="Start now").click()

    expect(page.get_by_role("heading", name="Who is making this report?")).to_be_visible()
    walk.go_on()
    expect(page.get_by_role("link", name="Select who is making this report")).to_be_visible()
    walk.check("who-error")
    page.get_by_label("The person it is happening to").check()
    walk.go_on()

    expect(page.get_by_role("heading", name="Safety now")).to_be_visible()
    walk.check("danger")
    page.get_by_role("group", name="Is anyone in danger right now?").get_by_label("No").check()
    walk.go_on()

    page.get_by_label("Your full name").fill("Alice Example")
    _fill_date(page, "Your date of birth", "3", "4", "1990")
    walk.check("victim-name")
    walk.go_on()
    page.get_by_label("Email address").fill("alice@example.org")
    page.get_by_label("Phone number").fill("07700 900123")
    walk.check("victim-contact")
    walk.go_on()
    page.get_by_label("Address line 1").fill("1 High Street")
    page.get_by_label("Town or city").fill("Exampleton")
    page.get_by_label("Postcode").fill("EX1 1AA")
    walk.check("victim-address")
    walk.go_on()
    walk.check("equality")
    walk.go_on()

    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Phone call").check()
    walk.check("contact-channels")
    walk.go_on()
    page.get_by_label("When is it safe to contact you? (optional)").fill("Weekdays 9 to 3")
    for question in [
        "Can we leave a voicemail?",
        "Can we say we are the police?",
        "Might someone else read your messages or open your post?",
    ]:
        page.get_by_role("group", name=question).get_by_label("No").check()
    walk.check("contact-safety")
    walk.go_on()

    for relationship, names in [("Ex-partner", "Mallory Example"), ("A stranger", "")]:
        expect(page.get_by_role("heading", name="About the person")).to_be_visible()
        page.get_by_label(relationship).check()
        page.get_by_label("Their names (optional)").fill(names)
        page.get_by_label("Vehicles they use (optional)").fill("Blue Ford Fiesta")
        walk.check("suspect")
        walk.go_on()
        expect(page.get_by_role("heading", name="People you have told us about")).to_be_visible()
        walk.check("suspects")
        answer = "Yes" if names else "No"
        page.get_by_role("group", name="Do you need to add another?").get_by_label(answer).check()
        walk.go_on()

    page.get_by_label("Following you").check()
    page.get_by_label("Calling, texting or messaging you again and again").check()
    walk.check("behaviours")
    walk.go_on()
    _fill_date(page, "When did it start?", "1", "6", "2026")
    _fill_date(page, "When did it last happen?", "20", "11", "2026")
    page.get_by_label("Every day or almost every day").check()
    walk.check("when")
    walk.go_on()

    for day, place in [("14", "Outside work"), ("20", "The car park at home")]:
        expect(page.get_by_role("heading", name="A time it happened")).to_be_visible()
        _fill_date(page, "When did it happen?", day, "11", "2026")
        page.get_by_label("Where did it happen? (optional)").fill(place)
        page.get_by_label("What happened?").fill(f"He waited for me at {place}.")
        walk.check("incident")
        walk.go_on()
        walk.check("incidents")
        answer = "Yes" if day == "14" else "No"
        page.get_by_role("group", name="Do you need to add another?").get_by_label(answer).check()
        walk.go_on()

    page.get_by_label("How has this affected you? (optional)").fill("I cannot sleep.")
    walk.check("impact")
    walk.go_on()

    photo, letter, fake, real = (
        tmp_path / "photo.png",
        tmp_path / "letter.pdf",
        tmp_path / "voicenote.jpg",
        tmp_path / "doorstep.jpg",
    )
    photo.write_bytes(png_bytes())
    letter.write_bytes(pdf_bytes())
    fake.write_bytes(b"#!/bin/sh\necho this is not a photo\n")
    real.write_bytes(JPEG)
    walk.check("evidence")
    page.locator("input[type=file]").set_input_files([photo, letter])
    walk.go_on("Upload files")
    expect(page.get_by_role("term").filter(has_text="letter.pdf")).to_be_visible()
    page.locator("input[type=file]").set_input_files([fake])
    walk.go_on("Upload files")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "voicenote.jpg must be a photo, screenshot, PDF, audio recording or video"
    )
    walk.check("evidence-error")
    page.locator("input[type=file]").set_input_files([real])
    walk.go_on("Upload files")
    expect(page.get_by_role("term").filter(has_text="doorstep.jpg")).to_be_visible()
    walk.check("evidence-files")
    walk.go_on()

    walk.check("anything-else")
    walk.go_on()

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    walk.check("check")
    page.get_by_role("link", name="Change contact details").click()
    page.get_by_label("Phone number").fill("07700 900456")
    walk.go_on()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text("07700 900456")).to_be_visible()
    page.get_by_role("link", name="Continue").click()

    walk.go_on("Send report")
    expect(
        page.get_by_role("link", name="Confirm that what you have told us is true")
    ).to_be_visible()
    walk.check("declaration-error")
    page.get_by_label("I confirm that what I have told you is true").check()
    walk.go_on("Send report")

    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    walk.check("sent")
    reference = page.get_by_test_id("reference").inner_text()
    secret = page.get_by_test_id("secret").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]", reference)

    page.get_by_role("link", name="Check on your report").click()
    walk.go_on("Sign in")
    walk.check("track-error")
    page.get_by_label("Report reference").fill(reference)
    page.get_by_label("Secret code").fill(secret)
    walk.go_on("Sign in")
    expect(page.get_by_test_id("status")).to_have_text("Received")
    walk.check("track")
    return reference, secret


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_victim_reports_and_then_talks_to_the_officer(
    live_server: object,
    page: Page,
    no_js_page: Page,
    tmp_path: Path,
    make_staff: Callable[..., User],
    staff_client: Callable[..., Client],
    javascript: bool,
) -> None:
    browser_page = page if javascript else no_js_page
    base = live_server.url  # type: ignore[attr-defined]
    reference, _secret = _journey(browser_page, base, tmp_path, javascript=javascript)

    report = Report.objects.get(reference=reference)
    assert report.evidence.count() == 3
    assert len(report.suspects) == 2
    assert len(report.details["incidents"]) == 2
    assert report.victim["phone"] == "07700 900456"

    officer = make_staff(Role.INVESTIGATOR)
    report_message_to_reporter(report=report, body="Is Tuesday at 10 safe to call?", by=officer)
    browser_page.reload()
    expect(browser_page.get_by_text("Is Tuesday at 10 safe to call?")).to_be_visible()
    browser_page.get_by_label("Your message").fill("Yes, Tuesday at 10 is fine.")
    browser_page.get_by_role("button", name="Send message").click()
    expect(browser_page.get_by_text("Your message has been sent.")).to_be_visible()
    if javascript:
        assert axe_violations(browser_page) == []

    reply = ReportMessage.objects.get(report=report, direction=MessageDirection.FROM_REPORTER)
    assert reply.body == "Yes, Tuesday at 10 is fine."
    staff = staff_client(Role.CALL_HANDLER)  # untriaged: in the scope of intake roles only
    assert (
        "Yes, Tuesday at 10 is fine." in staff.get(f"/staff/reports/{report.pk}/").content.decode()
    )
