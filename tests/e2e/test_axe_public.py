"""axe-core on every public page and its error state, WCAG 2.2 AA and best practice (the
`region` rule included), at 320 and 1280 px (issue 16)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from vigil.public_site.tests.test_pages import PUBLIC_PAGES

from .conftest import AXE

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    *PUBLIC_PAGES,
    "/report/",
    "/report/resume/",
    "/report/track/",
    "/report/track/email/",
    "/safety/place/?lat=52.20530&lon=0.12180",
    "/no-such-page/",
]
# Pages whose form, sent empty, shows the error summary and messages by the fields.
ERROR_STATES = ["/report/resume/", "/report/track/", "/report/track/email/", "/feedback/"]


def axe_with_best_practice(page: Page) -> list[dict[str, Any]]:
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                             'wcag22aa', 'best-practice']}
        })"""
    )
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


@pytest.mark.parametrize("width", [320, 1280])
def test_every_public_page_is_axe_clean_with_best_practice(
    live_server: Any, page: Page, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    problems = {}
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        if violations := axe_with_best_practice(page):
            problems[path] = violations
    assert problems == {}


@pytest.mark.parametrize("width", [320, 1280])
def test_every_error_state_is_axe_clean_with_best_practice(
    live_server: Any, page: Page, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    problems = {}
    for path in ERROR_STATES:
        page.goto(f"{live_server.url}{path}")
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_selector(".govuk-error-summary")
        if violations := axe_with_best_practice(page):
            problems[path] = violations
    assert problems == {}
