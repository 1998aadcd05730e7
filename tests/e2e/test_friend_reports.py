"""A friend reports for someone on a phone (issue 16, point 3): every page asks about "them", the
friend gives their own contact preferences and says the person does not know; staff see it, and
a message to the victim is refused with the reason. axe-core clean, best practice included."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from vigil.accounts.models import Role, User
from vigil.cases.tests.factories import make_case
from vigil.notifications.models import OutboxMessage
from vigil.reporting.models import Report

from .conftest import axe_violations
from .test_axe_public import axe_with_best_practice
from .test_cases import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
# VIGIL_SHOTS=dir keeps a full-page screenshot of each checked page (as test_report_journey).
SHOTS = os.environ.get("VIGIL_SHOTS", "")


def _clean(page: Page, label: str) -> None:
    assert axe_with_best_practice(page) == [], label
    # Reflows at 320 px: nothing wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, (label, width)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(SHOTS) / f"friend-{label}-320.png", full_page=True)


def _go_on(page: Page, button: str = "Save and continue") -> None:
    page.get_by_role("button", name=button).click()


def _date(page: Page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def _no(page: Page, question: str) -> None:
    page.get_by_role("group", name=question).get_by_label("No", exact=True).check()


def _friend_reports(phone: Page, base: str) -> None:
    phone.goto(f"{base}/report/")
    phone.get_by_role("button", name="Start now").click()
    phone.get_by_label("Someone reporting for them").check()
    _go_on(phone)

    phone.get_by_label("Your full name").fill("Bea Friend")
    phone.get_by_label("How do you know the person it is happening to?").fill("Her friend")
    phone.get_by_label("Your email address").fill("bea@example.org")
    _clean(phone, "your-details")
    _go_on(phone)

    # The friend's own ways and times, asked of them as "you".
    expect(phone.get_by_role("heading", name="Contacting you safely")).to_be_visible()
    phone.get_by_label("Email", exact=True).check()
    _no(phone, "Can we leave a voicemail?")
    phone.get_by_role("group", name="Can we say we are the police?").get_by_label("Yes").check()
    _no(phone, "Might someone else read your messages or open your post?")
    _clean(phone, "reporter-contact")
    _go_on(phone)

    _no(phone, "Is anyone in danger right now?")
    _go_on(phone)
    phone.get_by_label("Their full name").fill("Alice Example")
    _clean(phone, "victim-name")
    _go_on(phone)
    expect(phone.get_by_label("Their email address")).to_be_visible()
    _go_on(phone)
    _go_on(phone)  # their address: none given

    expect(phone.get_by_role("heading", name="Whether we can contact them")).to_be_visible()
    _go_on(phone)
    expect(
        phone.get_by_role("link", name="Select yes if they know you are reporting this")
    ).to_be_visible()
    _clean(phone, "victim-knows-error")
    _no(phone, "Do they know you are reporting this?")
    phone.get_by_role("group", name="Is it safe for us to contact them?").get_by_label(
        "I am not sure"
    ).check()
    _go_on(phone)

    # Their ways of contact are not asked: we will not use them.
    expect(phone.get_by_text("What is their gender? (optional)")).to_be_visible()
    expect(phone.get_by_text("What is your gender?")).to_have_count(0)
    _clean(phone, "equality")
    _go_on(phone)

    phone.get_by_label("Ex-partner").check()
    _go_on(phone)
    _no(phone, "Do you need to add another?")
    _go_on(phone)
    expect(phone.get_by_label("Following them")).to_be_visible()
    expect(phone.get_by_label("Following you")).to_have_count(0)
    phone.get_by_label("Following them").check()
    _clean(phone, "behaviours")
    _go_on(phone)
    _date(phone, "When did it start?", "1", "6", "2026")
    _date(phone, "When did it last happen?", "20", "11", "2026")
    phone.get_by_label("Every day or almost every day").check()
    _go_on(phone)
    _date(phone, "When did it happen?", "20", "11", "2026")
    phone.get_by_label("What happened?").fill("He followed her home from work.")
    _go_on(phone)
    _no(phone, "Do you need to add another?")
    _go_on(phone)
    expect(phone.get_by_role("heading", name="How it has affected them")).to_be_visible()
    phone.get_by_label("How has this affected them? (optional)").fill("She cannot sleep.")
    _clean(phone, "impact")
    _go_on(phone)
    _go_on(phone)  # no evidence
    _go_on(phone)  # nothing else

    expect(phone.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(phone.get_by_text("Do they know about the report", exact=True)).to_be_visible()
    expect(
        phone.get_by_text("Safe ways to contact the person reporting", exact=True)
    ).to_be_visible()
    _clean(phone, "check")
    phone.get_by_role("link", name="Continue").click()
    phone.get_by_label("I confirm that what I have told you is true").check()
    _go_on(phone, "Send report")

    expect(phone.get_by_role("heading", name="Report sent")).to_be_visible()
    expect(phone.get_by_test_id("victim-not-contacted")).to_contain_text(
        "You told us they do not know about this report"
    )
    _clean(phone, "sent")


def test_a_friend_reports_for_someone_who_does_not_know_and_staff_cannot_contact_them(
    live_server: object,
    browser: Browser,
    phone: Page,
    page: Page,
    make_staff: Callable[..., User],
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    _friend_reports(phone, base)
    report = Report.objects.get()
    assert report.reporter_contact is not None
    assert report.reporter_contact.prefs.channels == ("email",)
    assert report.contact_prefs.third_party_caution == "unaware"
    # The thank-you email went to the friend, by the friend's own record.
    received = OutboxMessage.objects.get(purpose="report.received")
    assert received.recipient == "bea@example.org"

    # Intake staff see a third party with their own answers, and the warning.
    handler = make_staff(Role.CALL_HANDLER, full_name="Hana Handler")
    sign_in(page, base, handler)
    page.goto(f"{base}/staff/reports/{report.pk}/")
    expect(page.get_by_test_id("third-party")).to_contain_text("Reported by a third party")
    expect(page.get_by_test_id("victim-caution")).to_contain_text(
        "the person who reported for them said the victim does not know about this report"
    )
    # WCAG rules on staff pages, as the other staff journeys check them.
    assert axe_violations(page) == []

    # The case's officer tries to email the victim and is refused, saying why.
    officer = make_staff(Role.INVESTIGATOR, full_name="Ivy Investigator")
    case = make_case(by=handler, officer=officer, report=report)
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(desk, base, officer)
    desk.goto(f"{base}/staff/cases/{case.pk}/contact/")
    desk.get_by_label("Email", exact=True).check()
    desk.get_by_label("Message", exact=True).fill("Can we talk?")
    desk.get_by_role("button", name="Send message").click()
    expect(
        desk.get_by_text("the person who reported for them said the victim does not know").first
    ).to_be_visible()
    assert not OutboxMessage.objects.filter(purpose="case.victim_message").exists()
    desk.context.close()
