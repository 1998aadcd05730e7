"""Safety plan and MARAC in a real browser: an officer makes a plan with two measures, the
coordinator puts the case on a MARAC and records an action agreed there. axe-core clean
(WCAG 2.2 AA and best practice) on every page on the way, at 1280 and 320 px."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from vigil.accounts.models import Agency, Role, User
from vigil.cases.tests.factories import make_case
from vigil.safeguarding.models import MeetingAction, MeetingCase, SafetyMeasure

from .test_axe_public import axe_with_best_practice
from .test_risk import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _clean(page: Page) -> None:
    assert axe_with_best_practice(page) == []


def test_an_officer_makes_a_plan_and_the_coordinator_takes_the_case_to_marac(
    live_server: object, browser: Browser, make_staff: Callable[..., User]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    officer = make_staff(Role.INVESTIGATOR, full_name="Ivy Investigator")
    coordinator = make_staff(Role.COORDINATOR, full_name="Cara Coordinator")
    advocacy = Agency.objects.create(name="Safe Steps Advocacy", kind=Agency.Kind.PARTNER)
    case = make_case(by=make_staff(Role.CALL_HANDLER), officer=officer)

    # The officer: two measures, one theirs, one the advocacy service's.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, base, officer)
    page.goto(f"{base}/staff/cases/{case.pk}/")
    page.get_by_role("navigation", name="Case sections").get_by_role(
        "link", name="Safety plan"
    ).click()
    expect(page.get_by_role("heading", name="Safety plan", exact=True)).to_be_visible()
    _clean(page)

    page.get_by_role("button", name="Add the measure").click()  # nothing chosen
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    _clean(page)

    page.get_by_label("Alarm", exact=True).check()
    page.get_by_label("Who owns it").select_option(label="Officer: Ivy Investigator")
    page.get_by_role("group", name="Status").get_by_label("In place").check()
    page.get_by_label("Details (optional)").fill("Pendant alarm linked to the control room.")
    page.get_by_role("button", name="Add the measure").click()
    expect(page.get_by_text("Measure added to the safety plan.")).to_be_visible()

    page.get_by_label("School or workplace told").check()
    page.get_by_label("Who owns it").select_option(label="Agency: Safe Steps Advocacy")
    page.get_by_role("button", name="Add the measure").click()
    expect(page.get_by_text("Measure added to the safety plan.")).to_be_visible()
    measures = page.get_by_test_id("measures")
    expect(measures).to_contain_text("Alarm")
    expect(measures).to_contain_text("School or workplace told")
    expect(measures).to_contain_text("Safe Steps Advocacy")
    _clean(page)
    page.set_viewport_size({"width": 320, "height": 900})
    _clean(page)
    page.screenshot(path="var/safeguarding-plan-320.png", full_page=True)
    context.close()
    assert SafetyMeasure.objects.filter(plan__case=case).count() == 2

    # The coordinator: a MARAC, the case on its list, an action agreed.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, base, coordinator)
    page.get_by_role("link", name="Meetings").first.click()
    expect(page.get_by_role("heading", name="Multi-agency meetings")).to_be_visible()
    _clean(page)
    page.get_by_role("link", name="Add a meeting").click()
    page.get_by_label("MARAC (multi-agency risk assessment conference)").check()
    when = timezone.localdate() + datetime.timedelta(days=7)
    page.get_by_label("Day").fill(str(when.day))
    page.get_by_label("Month").fill(str(when.month))
    page.get_by_label("Year").fill(str(when.year))
    page.get_by_label("Where (optional)").fill("Town hall, room 4")
    _clean(page)
    page.get_by_role("button", name="Add the meeting").click()
    expect(page.get_by_text("Meeting added.")).to_be_visible()

    page.get_by_role("link", name="Add a case").click()
    page.get_by_label("Case reference").fill(case.reference)
    page.get_by_label("Professional judgement").check()
    page.get_by_role("button", name="Add the case").click()
    expect(page.get_by_text("Case added to the meeting.")).to_be_visible()
    expect(page.get_by_test_id("agenda-entry")).to_contain_text(case.reference)

    page.get_by_role("link", name=f"Add an action for case {case.reference}").click()
    page.get_by_label("Action agreed").fill("Safety visit with the victim's consent")
    page.get_by_label("Who owns it").select_option(label="Agency: Safe Steps Advocacy")
    _clean(page)
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("Action added.")).to_be_visible()
    expect(page.get_by_test_id("meeting-actions")).to_contain_text(
        "Safety visit with the victim's consent \u2013 Safe Steps Advocacy"
    )
    _clean(page)
    page.screenshot(path="var/safeguarding-meeting-1280.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 900})
    _clean(page)
    page.screenshot(path="var/safeguarding-meeting-320.png", full_page=True)

    # The coordinator's home page: the meeting coming up.
    page.goto(f"{base}/staff/")
    expect(page.get_by_role("heading", name="Meetings coming up")).to_be_visible()
    expect(
        page.get_by_role(
            "link", name=f"MARAC (multi-agency risk assessment conference), {when:%-d %B %Y}"
        )
    ).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    _clean(page)
    page.screenshot(path="var/safeguarding-home-1280.png", full_page=True)

    # The case's timeline shows the plan and the meeting.
    page.goto(f"{base}/staff/cases/{case.pk}/timeline/")
    expect(page.get_by_text("Safety plan: Alarm added (owner: Ivy Investigator)")).to_be_visible()
    expect(page.get_by_text("Referred to MARAC")).to_be_visible()
    context.close()
    entry = MeetingCase.objects.get(case=case)
    assert MeetingAction.objects.get(entry=entry).owner_agency == advocacy
