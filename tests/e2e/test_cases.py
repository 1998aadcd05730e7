"""Case management journeys in a real browser, with axe-core on every case page visited."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from vigil.accounts.models import Role, User
from vigil.accounts.tests.factories import TEST_PASSWORD
from vigil.cases.models import Case, ContactLogEntry, CourseOfConductDecision
from vigil.cases.tests.factories import make_case, make_report
from vigil.reporting.models import ReportMessage

from .conftest import axe_violations

# serialized_rollback: the default response grades and Victims' Code rules come from a data
# migration, and a transactional test database is emptied between tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sign_in(page: Page, base: str, user: User) -> None:
    device = user.totpdevice_set.get()
    page.goto(f"{base}/staff/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {user.full_name}")).to_be_visible()


def test_a_call_handler_triages_an_online_report_into_a_case(
    live_server: object, page: Page, make_staff: Callable[..., User]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    handler = make_staff(Role.CALL_HANDLER, full_name="Cal Handler")
    report = make_report()
    sign_in(page, base, handler)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Intake").click()
    expect(page.get_by_role("heading", name="Reports waiting for triage")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name=report.reference).click()
    expect(page.get_by_role("heading", name="Triage")).to_be_visible()
    assert axe_violations(page) == []
    for label, text in [
        ("Threat", "Says he will come round tonight"),
        ("Harm", "Frightened, not sleeping"),
        ("Risk", "Escalating over two weeks"),
        ("Investigation", "Messages on her phone"),
        ("Vulnerability", "Lives alone"),
        ("Engagement", "Wants police action"),
    ]:
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_label("Priority: respond within 60 minutes").check()
    page.get_by_label("Create a new case").check()
    page.get_by_label("Record a new case as").select_option("stalking_s2a")
    page.get_by_role("button", name="Record triage").click()

    expect(page.get_by_role("heading", name="Case summary")).to_be_visible()
    expect(page.get_by_text("Alice Example: only by email")).to_be_visible()
    case = Case.objects.get()
    assert case.created_by == handler
    assert axe_violations(page) == []


def test_an_investigator_adds_an_incident_decides_on_stalking_and_messages_the_victim(
    live_server: object, page: Page, make_staff: Callable[..., User]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    officer = make_staff(Role.INVESTIGATOR, full_name="Ivy Stone")
    case = make_case(by=make_staff(Role.COORDINATOR), officer=officer)
    sign_in(page, base, officer)

    page.goto(f"{base}/staff/cases/{case.pk}/")
    expect(page.get_by_role("heading", name="Case summary")).to_be_visible()
    expect(page.get_by_text("Possible course of conduct")).to_have_count(0)
    page.get_by_role("button", name="Record an incident").click()
    assert axe_violations(page) == []
    page.get_by_label("Day").fill("20")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Time it happened").fill("18:30")
    page.get_by_label("Where it happened").fill("Outside her work")
    page.get_by_label("Suspect", exact=True).select_option(label="Mallory Sample")
    page.get_by_label("Waiting or hanging around near the victim's home, work or school").check()
    page.get_by_label("What happened").fill("Waited outside her office for an hour.")
    page.get_by_role("button", name="Save incident").click()

    expect(
        page.get_by_text("Possible course of conduct: consider stalking (s2A/s4A)")
    ).to_be_visible()
    page.get_by_role("link", name="Consider FOUR and record your decision").click()
    expect(page.get_by_text("(e) loitering in any place, public or private")).to_be_visible()
    assert axe_violations(page) == []
    for question in ("Fixated", "Obsessive", "Unwanted", "Repeated"):
        page.get_by_role("group", name=question).get_by_label("Yes").check()
    page.get_by_label("Stalking (s2A): record as stalking").check()
    page.get_by_label("Your reasons").fill("Followed and waited for her after being told to stop.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    assert CourseOfConductDecision.objects.filter(case=case).exists()

    page.get_by_role("link", name="Timeline").click()
    expect(page.get_by_text("Course of conduct decision: Stalking (s2A)")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Contact", exact=True).click()
    assert axe_violations(page) == []
    page.get_by_label("Text message").first.check()
    page.get_by_label("Message", exact=True).fill("Please call me when it is safe.")
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("#id_message-channel_error")).to_contain_text(
        "The victim did not choose this way to be contacted"
    )
    page.get_by_label("Message on their online report").check()
    page.get_by_label("Message", exact=True).fill("I am your officer. I will call on Tuesday.")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_text("Message added to their online report.")).to_be_visible()
    assert ReportMessage.objects.get().body == "I am your officer. I will call on Tuesday."
    assert ContactLogEntry.objects.filter(case=case).count() == 1
    assert axe_violations(page) == []


def test_a_call_handler_notes_how_to_reach_a_friend_who_phoned(
    live_server: object, page: Page, make_staff: Callable[..., User]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    handler = make_staff(Role.CALL_HANDLER, full_name="Cal Handler")
    sign_in(page, base, handler)
    page.goto(f"{base}/staff/cases/intake/phone/new/")
    caller_email = page.get_by_label("Caller's email address (optional)")
    # Hidden until "No": the victim calling is the usual case.
    expect(caller_email).to_be_hidden()
    page.get_by_role("radio", name="No").first.check()
    expect(caller_email).to_be_visible()
    page.get_by_label("Caller's phone number (optional)").fill("07700 900777")
    caller_email.fill("carol.example.com")
    page.get_by_label("What happened, in the caller's words").fill("Her ex waits outside.")
    page.get_by_label("Victim's name", exact=True).fill("Bea Example")
    page.get_by_role("button", name="Save and triage").click()
    expect(
        page.get_by_role("link", name="Enter an email address like name@example.com")
    ).to_be_visible()
    # The answer that needs changing is shown, still open, with the others kept.
    expect(caller_email).to_be_visible()
    expect(caller_email).to_have_value("carol.example.com")
    expect(page.get_by_label("Victim's name", exact=True)).to_have_value("Bea Example")
    assert axe_violations(page) == []
    caller_email.fill("carol@example.com")
    page.get_by_role("button", name="Save and triage").click()
    expect(page.get_by_role("heading", name="Triage")).to_be_visible()
    expect(page.get_by_text("07700 900777 carol@example.com")).to_be_visible()
