"""Journey 8, leaving in a hurry: a stray Escape keeps the report, a real exit leaves nothing on
the device, and "Save and come back later" lets the victim finish on another device."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from vigil.reporting.models import ReportDraft

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def _start_and_reach_the_name_page(tab: Page, base: str) -> None:
    tab.goto(f"{base}/report/")
    tab.get_by_role("button", name="Start now").click()
    tab.get_by_label("The person it is happening to").check()
    tab.get_by_role("button", name="Save and continue").click()
    tab.get_by_label("No").check()
    tab.get_by_role("button", name="Save and continue").click()
    expect(tab).to_have_url(re.compile(r"/report/victim-name/$"))


def test_one_escape_while_typing_keeps_the_report_and_a_second_one_leaves(
    live_server: Any, phone: Page, settings: Any
) -> None:
    base = str(live_server.url)
    settings.VIGIL_QUICK_EXIT_URL = f"{base}/healthz"
    _start_and_reach_the_name_page(phone, base)
    name = phone.get_by_label("Your full name")
    name.click()
    phone.keyboard.type("Alice Example")
    phone.keyboard.press("Escape")
    # One press: still here, nothing lost, and the page says how to leave.
    expect(phone).to_have_url(re.compile(r"/report/victim-name/$"))
    expect(name).to_have_value("Alice Example")
    expect(phone.locator(".vigil-exit-hint")).to_be_visible()
    expect(phone.get_by_role("status")).to_have_text("Press Escape again to leave this page")
    phone.keyboard.press("Escape")
    phone.wait_for_url(f"{base}/healthz")


def test_one_escape_on_a_report_page_without_a_field_in_focus_does_not_leave(
    live_server: Any, phone: Page, settings: Any
) -> None:
    base = str(live_server.url)
    settings.VIGIL_QUICK_EXIT_URL = f"{base}/healthz"
    _start_and_reach_the_name_page(phone, base)
    phone.locator("h1").click()
    phone.keyboard.press("Escape")
    phone.wait_for_timeout(300)
    expect(phone).to_have_url(re.compile(r"/report/victim-name/$"))


def test_escape_once_still_leaves_a_page_with_nothing_to_lose(
    live_server: Any, phone: Page, settings: Any
) -> None:
    base = str(live_server.url)
    settings.VIGIL_QUICK_EXIT_URL = f"{base}/healthz"
    phone.goto(f"{base}/what-stalking-is/")
    phone.keyboard.press("Escape")
    phone.wait_for_url(f"{base}/healthz")


def test_after_an_exit_the_report_pages_look_as_they_do_to_a_first_visitor(
    live_server: Any, browser: Browser, phone: Page, settings: Any
) -> None:
    base = str(live_server.url)
    settings.VIGIL_QUICK_EXIT_URL = f"{base}/healthz"
    first = browser.new_context(viewport={"width": 320, "height": 640})
    first_tab = first.new_page()
    first_tab.goto(f"{base}/report/")
    first_visit = first_tab.locator("main").inner_text()
    first.close()

    _start_and_reach_the_name_page(phone, base)
    for _press in range(3):
        phone.keyboard.press("Shift")
    phone.wait_for_url(f"{base}/healthz")
    assert phone.context.cookies() == []
    phone.go_back()  # whatever Back reaches, it must not show that a report was being made
    phone.goto(f"{base}/report/victim-name/")
    expect(phone).to_have_url(f"{base}/report/")
    assert phone.locator("main").inner_text() == first_visit
    assert "deleted" not in first_visit and "in progress" not in first_visit


def test_a_saved_report_is_finished_on_another_device_after_an_exit(
    live_server: Any, browser: Browser, phone: Page, settings: Any
) -> None:
    base = str(live_server.url)
    settings.VIGIL_QUICK_EXIT_URL = f"{base}/healthz"
    _start_and_reach_the_name_page(phone, base)
    phone.get_by_label("Your full name").fill("Alice Example")
    phone.get_by_role("button", name="Save and come back later").click()
    assert axe_violations(phone) == []
    phone.get_by_label("No, I will write them down").check()
    phone.get_by_role("button", name="Save my report").click()
    code = phone.get_by_test_id("resume-code").inner_text()
    secret = phone.get_by_test_id("resume-secret").inner_text()
    assert axe_violations(phone) == []
    phone.get_by_role("button", name="Exit this page").click()
    phone.wait_for_url(f"{base}/healthz")

    other = browser.new_context(viewport={"width": 1280, "height": 900})
    laptop = other.new_page()
    laptop.goto(f"{base}/report/")
    laptop.get_by_role("link", name="Continue a report you saved").click()
    laptop.get_by_label("Your save code").fill(code)
    laptop.get_by_label("Your secret code").fill(secret)
    laptop.get_by_role("button", name="Continue my report").click()
    # On to the first page not yet answered, with every answer so far kept.
    expect(laptop).to_have_url(re.compile(r"/report/victim-contact/$"))
    laptop.get_by_role("link", name="Back", exact=True).click()
    expect(laptop.get_by_label("Your full name")).to_have_value("Alice Example")
    assert ReportDraft.objects.count() == 1
    other.close()
