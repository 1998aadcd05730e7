"""Urgent intake in a real browser: the duty supervisor sees the danger report on their home
page, the triage page offers only emergency grades and shows what the victim told us, and staff
pages use the width of a wide screen (issue 15, points 6 and 11)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from vigil.accounts.models import Role, User
from vigil.cases.tests.factories import make_report
from vigil.cases.urgent import on_report_received

from .conftest import axe_violations
from .test_cases import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_duty_supervisor_triages_a_report_of_danger_from_their_home_page(
    live_server: object, page: Page, make_staff: Callable[..., User]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    supervisor = make_staff(Role.SUPERVISOR, full_name="Sam Sergeant")
    report = make_report(immediate_danger=True)
    on_report_received(sender=None, report=report)
    sign_in(page, base, supervisor)

    panel = page.get_by_role("region", name="Urgent reports waiting for triage")
    expect(panel.get_by_text("The reporter said they are in danger now")).to_be_visible()
    assert axe_violations(page) == []
    panel.get_by_role("link", name=f"Triage report {report.reference}").click()
    expect(page.get_by_role("heading", name="Triage")).to_be_visible()
    expect(page.get_by_text("The reporter said they are in danger now.")).to_be_visible()
    expect(page.get_by_text("07700 900999")).to_be_visible()
    grades = page.get_by_role("group", name="Priority grade").get_by_role("radio")
    expect(grades).to_have_count(1)
    expect(page.get_by_label("Emergency: respond within 15 minutes")).to_be_visible()
    assert axe_violations(page) == []

    for label in ["Threat", "Harm", "Risk", "Investigation", "Vulnerability", "Engagement"]:
        page.get_by_label(label, exact=True).fill("Outside her house now")
    page.get_by_label("Emergency: respond within 15 minutes").check()
    page.get_by_label("Create a new case").check()
    page.get_by_label("Record a new case as").select_option("stalking_s4a")
    page.get_by_role("button", name="Record triage").click()
    expect(page.get_by_role("heading", name="Case summary")).to_be_visible()

    page.goto(f"{base}/staff/")
    expect(page.get_by_text("No urgent reports are waiting.")).to_be_visible()


def test_staff_pages_use_a_wide_screen_and_still_fit_a_phone(
    live_server: object, browser: Browser, make_staff: Callable[..., User]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    report = make_report()
    for width, check in [(1600, "wide"), (320, "narrow")]:
        # One person each: a sign-in code cannot be used twice.
        handler = make_staff(Role.CALL_HANDLER)
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, base, handler)
        page.goto(base + reverse("cases:triage_online", args=[report.pk]))
        expect(page.get_by_role("heading", name="Triage")).to_be_visible()
        main_width = page.evaluate("document.querySelector('main').getBoundingClientRect().width")
        scroll_width, client_width = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert axe_violations(page) == []
        if check == "wide":
            assert main_width > 1400, main_width  # not GOV.UK's 960px reading column
        # No sideways scrolling (clientWidth leaves out the scroll bar).
        assert scroll_width <= client_width, (width, scroll_width, client_width)
        context.close()
