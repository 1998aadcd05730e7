"""The quick exit stays on screen however far a victim scrolls, and never hides what she tabs to.

A victim on a phone the stalker may be watching must be able to leave from anywhere on a long
page, not only from its top (GOV.UK's Exit this page component is sticky for that reason). A
sticky bar must not cover the link she tabs to either (WCAG 2.4.11, focus not obscured).
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page

from vigil.cases.tests.factories import make_report
from vigil.reporting.references import hash_tracking_secret, new_reference
from vigil.safety.models import DiaryEntry

from .test_safety import SECRET, track_sign_in

WIDTHS = [320, 1280]
LONG_PAGES = ["/harassment-or-stalking/", "/get-help/", "/hide-your-visit/", "/privacy/"]
# Long pages whose content starts with a link, to tab back up to.
PAGES_WITH_LINKS = ["/harassment-or-stalking/", "/get-help/"]

# Where the exit button is, and what the browser would hit at its centre.
EXIT_BUTTON_STATE = """() => {
    const button = document.querySelector('[data-vigil-exit-button]');
    const box = button.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return {
        top: box.top, bottom: box.bottom, left: box.left, right: box.right,
        width: innerWidth, height: innerHeight,
        hit: hit !== null && button.contains(hit),
    };
}"""

# Whether the focused element is wholly in view and nothing is drawn over its centre.
FOCUS_STATE = """() => {
    const focused = document.activeElement;
    const box = focused.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    const exit = document.querySelector('.govuk-exit-this-page').getBoundingClientRect();
    const overlaps = box.top < exit.bottom && box.bottom > exit.top
        && box.left < exit.right && box.right > exit.left;
    return {
        text: focused.textContent.trim(), top: box.top, bottom: box.bottom,
        height: innerHeight, hit: hit !== null && focused.contains(hit), overlaps: overlaps,
    };
}"""


def open_at(browser: Browser, width: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 640}, is_mobile=width < 400)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def assert_exit_on_screen_at_the_bottom(page: Page) -> None:
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    assert page.evaluate("() => scrollY") > 0, "the page is not long enough to scroll"
    state = page.evaluate(EXIT_BUTTON_STATE)
    assert state["top"] >= 0 and state["bottom"] <= state["height"], state
    assert state["left"] >= 0 and state["right"] <= state["width"], state
    assert state["hit"], state


def assert_tabbing_up_is_not_hidden(page: Page) -> None:
    """From the bottom, Shift+Tab back to the first link of the content: the browser scrolls it
    into view, and it must land clear of the sticky exit bar."""
    focusable = page.locator("main a[href], main button")
    assert focusable.count() > 0, f"{page.url} has nothing to tab to in its content"
    first = focusable.first
    first.evaluate("(el) => el.focus({preventScroll: true})")
    page.keyboard.press("Tab")
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    page.keyboard.press("Shift+Tab")
    state = page.evaluate(FOCUS_STATE)
    assert state["top"] >= 0 and state["bottom"] <= state["height"], state
    assert state["hit"] and not state["overlaps"], state


@pytest.mark.parametrize("width", WIDTHS)
def test_the_exit_button_stays_on_screen_at_the_bottom_of_long_guidance_pages(
    live_server: object, browser: Browser, width: int
) -> None:
    page = open_at(browser, width)
    for path in LONG_PAGES:
        page.goto(f"{live_server.url}{path}")  # type: ignore[attr-defined]
        assert_exit_on_screen_at_the_bottom(page)
        if path in PAGES_WITH_LINKS:
            assert_tabbing_up_is_not_hidden(page)
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_exit_button_stays_on_screen_at_the_bottom_of_a_long_diary(
    live_server: object, browser: Browser, width: int
) -> None:
    report = make_report(
        reference=new_reference(), tracking_secret_hash=hash_tracking_secret(SECRET)
    )
    start = timezone.now() - datetime.timedelta(days=40)
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            report=report,
            occurred_at=start + datetime.timedelta(days=n),
            what_happened=f"He was outside my flat again, the {n + 1}th time this month.",
        )
        for n in range(30)
    )
    page = open_at(browser, width)
    track_sign_in(page, live_server.url, report)  # type: ignore[attr-defined]
    page.goto(f"{live_server.url}/safety/diary/")  # type: ignore[attr-defined]
    assert_exit_on_screen_at_the_bottom(page)
    assert_tabbing_up_is_not_hidden(page)
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_an_error_summary_link_brings_its_question_out_from_under_the_exit_bar(
    live_server: object, browser: Browser, width: int
) -> None:
    """GOV.UK's error summary scrolls the question to the top of the window: that top is where
    the sticky exit bar sits, so the page keeps a band clear for it (scroll-padding-top)."""
    page = open_at(browser, width)
    page.goto(f"{live_server.url}/feedback/")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Send feedback").click()
    summary = page.locator(".govuk-error-summary")
    summary.get_by_role("link").first.click()
    state = page.evaluate(
        """() => {
            const legend = document.querySelector('main fieldset legend').getBoundingClientRect();
            const exit = document.querySelector('.govuk-exit-this-page').getBoundingClientRect();
            return {legend_top: legend.top, exit_bottom: exit.bottom, scrolled: scrollY};
        }"""
    )
    assert state["scrolled"] > 0, state
    assert state["legend_top"] >= state["exit_bottom"], state
    page.context.close()
