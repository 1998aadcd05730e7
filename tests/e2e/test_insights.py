"""The insights dashboard in a real browser: axe-core clean with best practice at 320, 768 and
1280 px, no script of its own, and the drill-down reached from a number (issue 19)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from vigil.accounts.models import Role, User
from vigil.cases.tests.factories import make_case

from .test_axe_public import axe_with_best_practice
from .test_risk import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/staff/insights/",
    "/staff/insights/?trend=month",
    "/staff/insights/print/",
    "/staff/insights/cases/cases_by_risk/?row=not_assessed",
    "/staff/insights/public-site/",
    # The error state: a period that ends before it starts.
    "/staff/insights/?period=dates&start_0=31&start_1=5&start_2=2026&end_0=1&end_1=5&end_2=2026",
]


@pytest.mark.parametrize("width", [320, 768, 1280])
def test_every_insights_page_is_axe_clean_and_fits(
    live_server: Any, page: Page, make_staff: Callable[..., User], width: int
) -> None:
    base = live_server.url
    coordinator = make_staff(Role.COORDINATOR)
    make_case(by=make_staff(Role.CALL_HANDLER))
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, base, coordinator)
    problems: dict[str, Any] = {}
    for path in PAGES:
        page.goto(f"{base}{path}")
        if violations := axe_with_best_practice(page):
            problems[path] = violations
        fits = page.evaluate(f"document.documentElement.scrollWidth <= {width}")
        if not fits:
            problems[path] = "wider than the screen"
    assert problems == {}


def test_a_coordinator_goes_from_a_number_to_the_cases_behind_it(
    live_server: Any, page: Page, make_staff: Callable[..., User]
) -> None:
    base = live_server.url
    coordinator = make_staff(Role.COORDINATOR)
    case = make_case(by=make_staff(Role.CALL_HANDLER))
    sign_in(page, base, coordinator)
    page.get_by_role("link", name="See the insights dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How the force is doing on stalking")
    assert page.locator("svg.vigil-chart title").count() > 0
    table = page.get_by_role("table", name="Cases opened: the numbers")
    table.get_by_role("link", name="1 \u2013 see the cases").click()
    expect(page.get_by_role("link", name=case.reference)).to_be_visible()
