"""The rough edges found on a phone (issue 16, points 6 and 10), at 320 px in Chromium."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from vigil.cases.tests.factories import make_report
from vigil.reporting.references import hash_tracking_secret, new_reference
from vigil.reporting.services import report_message_from_reporter
from vigil.safety.services import diary_entry_add

from .conftest import axe_violations
from .test_safety import SECRET, track_sign_in

pytestmark = pytest.mark.django_db(transaction=True)

LONG_URL = "https://example.org/" + "a-very-long-path-segment/" * 20 + "?q=" + "x" * 120


def _fits(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= 320"))


def test_the_first_screen_of_the_home_page_on_a_phone_shows_999_and_the_way_to_report(
    live_server: Any, phone: Page
) -> None:
    phone.goto(f"{live_server.url}/")
    for target in (
        phone.get_by_text("In danger now? Call 999."),
        phone.get_by_role("link", name="Report stalking or harassment").first,
    ):
        box = target.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 640, box
    assert axe_violations(phone) == []


def test_a_long_url_wraps_on_the_track_and_diary_pages(live_server: Any, phone: Page) -> None:
    report = make_report(
        reference=new_reference(), tracking_secret_hash=hash_tracking_secret(SECRET)
    )
    report_message_from_reporter(report=report, body=f"He posted this: {LONG_URL}")
    entry = diary_entry_add(
        report=report,
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        files=[],
        place=LONG_URL,
        what_happened=f"He sent me {LONG_URL}",
    )
    track_sign_in(phone, live_server.url, report)
    expect(phone.get_by_text("He posted this")).to_be_visible()
    assert _fits(phone), "track page scrolls sideways"
    for path in ("/safety/diary/", f"/safety/diary/{entry.pk}/"):
        phone.goto(f"{live_server.url}{path}")
        assert _fits(phone), f"{path} scrolls sideways"
