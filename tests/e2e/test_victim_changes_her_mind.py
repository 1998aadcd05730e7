"""Journeys 1 and 2: the victim changes how we may contact her, and adds to her report; the
officer is held to her new wishes and sees what she said on the case and on their home page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from vigil.accounts.models import Role, User
from vigil.cases.tests.factories import make_case
from vigil.notifications.models import OutboxMessage
from vigil.reporting.references import hash_tracking_secret, new_reference

from .conftest import axe_violations
from .test_cases import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SECRET = "ACDE-FGHJ-KMNP-QRTU"


def test_the_victim_removes_email_and_the_officer_is_refused_and_sees_her_message(
    live_server: object, browser: Browser, page: Page, make_staff: Callable[..., User]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    officer = make_staff(Role.INVESTIGATOR, full_name="Ivy Investigator")
    case = make_case(
        by=officer,
        officer=officer,
        safe_contact={"channels": ["phone", "email"], "others_may_read": False},
        tracking_secret_hash=hash_tracking_secret(SECRET),
        reference=(reference := new_reference()),
    )

    # The victim, on her own device: email is no longer safe, and she sends a message.
    victim = browser.new_context(viewport={"width": 320, "height": 640}).new_page()
    victim.goto(f"{base}/report/track/")
    victim.get_by_label("Report reference").fill(reference)
    victim.get_by_label("Secret code").fill(SECRET)
    victim.get_by_role("button", name="Sign in").click()
    victim.get_by_role("link", name="Change how we contact you").click()
    assert axe_violations(victim) == []
    victim.get_by_label("Email", exact=True).uncheck()
    victim.get_by_role("button", name="Save").click()
    expect(
        victim.get_by_text("We will only contact you in the new ways you chose.")
    ).to_be_visible()
    victim.get_by_label("Your message").fill("He was outside my work, I am really scared")
    victim.get_by_role("button", name="Send message").click()
    expect(victim.get_by_text("Your message has been sent.")).to_be_visible()
    victim.context.close()

    # The officer tries to email her and is told why not, with her wishes as they are now.
    sign_in(page, base, officer)
    expect(page.get_by_role("heading", name="Needs attention")).to_be_visible()
    attention = page.locator("#needs-attention-list")
    expect(attention.get_by_role("link", name="New message from the victim")).to_be_visible()
    expect(
        attention.get_by_role("link", name="The victim changed how we may contact them")
    ).to_be_visible()
    assert axe_violations(page) == []
    page.goto(f"{base}/staff/cases/{case.pk}/contact/")
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Message", exact=True).fill("Can we talk?")
    page.get_by_role("button", name="Send message").click()
    expect(
        page.get_by_text("The victim did not choose this way to be contacted.").first
    ).to_be_visible()
    expect(page.get_by_text("Their wishes now: only by phone call.").first).to_be_visible()
    assert not OutboxMessage.objects.filter(purpose="case.victim_message").exists()

    # Her message is on the case's timeline, and the list leads there.
    page.goto(f"{base}/staff/")
    page.locator("#needs-attention-list").get_by_role(
        "link", name="New message from the victim"
    ).click()
    expect(page.get_by_text("The victim sent a message on their online report")).to_be_visible()
    expect(page.get_by_text("He was outside my work, I am really scared")).to_be_visible()
    assert axe_violations(page) == []


def test_a_victim_who_reads_in_welsh_changes_her_wishes_and_the_officer_reads_it_in_english(
    live_server: object, browser: Browser, page: Page, make_staff: Callable[..., User]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    officer = make_staff(Role.INVESTIGATOR, full_name="Ivy Investigator")
    case = make_case(
        by=officer,
        officer=officer,
        safe_contact={"channels": ["text", "email"], "others_may_read": False},
        tracking_secret_hash=hash_tracking_secret(SECRET),
        reference=(reference := new_reference()),
    )

    context = browser.new_context(viewport={"width": 320, "height": 640})
    context.add_cookies([{"name": "vigil_language", "value": "cy", "url": base}])
    victim = context.new_page()
    victim.goto(f"{base}/report/track/")
    victim.get_by_label("Cyfeirnod yr adroddiad").fill(reference)
    victim.get_by_label("Cod cyfrinachol").fill(SECRET)
    victim.locator("main form button[type=submit]").first.click()
    victim.goto(f"{base}/report/track/contact/")
    victim.locator("input[name=channels][value=email]").uncheck()
    victim.locator("input[name=others_may_read][value=yes]").check()
    victim.locator("main form button[type=submit]").first.click()
    expect(victim.locator("html")).to_have_attribute("lang", "cy")
    assert axe_violations(victim) == []
    context.close()

    sign_in(page, base, officer)
    attention = page.locator("#needs-attention-list")
    expect(attention).to_contain_text("Check the new safe-contact wishes before any contact")
    page.goto(f"{base}/staff/cases/{case.pk}/timeline/")
    changed = page.get_by_text("The victim changed how we may contact them: safe ways")
    expect(changed).to_be_visible()
    expect(page.get_by_text("Newidiodd y dioddefwr")).to_have_count(0)
    email = OutboxMessage.objects.get(purpose="case.needs_attention")
    assert email.subject.startswith("Case ")
