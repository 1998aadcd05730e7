"""A reporter who has lost their secret code signs in with a link sent to their safe email.

Every new page is checked with axe-core, the error state included. Set VIGIL_SHOTS=dir to keep
screenshots at 320 and 1280 pixels wide.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Page, expect

from vigil.notifications.models import OutboxMessage
from vigil.reporting.models import Report
from vigil.reporting.tasks import tracking_link_send_task
from vigil.reporting.tests.journey import fill_until_check, send

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("VIGIL_SHOTS", "")


def _checked(page: Page, name: str) -> None:
    assert axe_violations(page) == [], name
    # Nothing sideways to scroll on a small phone.
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, name
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        for width in (320, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            page.screenshot(path=Path(SHOTS) / f"link-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _run_the_worker() -> None:
    """What the worker does with the request: decide, and queue the email if it matches."""
    for row in DBTaskResult.objects.filter(task_path=tracking_link_send_task.module_path):
        tracking_link_send_task.call(*row.args_kwargs["args"])


def test_a_reporter_signs_in_with_a_link_from_their_safe_email(
    live_server: object, page: Page
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    reporter = Client()
    fill_until_check(reporter)  # email is one of the safe ways to contact her
    send(reporter)
    report = Report.objects.get()

    page.goto(f"{base}/report/track/")
    page.get_by_role("link", name="Get a sign-in link by email instead").click()
    expect(page.get_by_role("heading", name="Get a sign-in link by email")).to_be_visible()
    _checked(page, "request")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("link", name="Enter your report reference")).to_be_visible()
    _checked(page, "request-error")

    page.get_by_label("Report reference").fill(report.reference.lower())
    page.get_by_label("Email address").fill("Alice@example.org")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    _checked(page, "asked")

    _run_the_worker()
    email = OutboxMessage.objects.get(purpose="report.track_link")
    assert email.recipient == "alice@example.org"
    found = re.search(r"/report/track/email/[A-Za-z0-9_-]+/", email.body)
    assert found, email.body
    link = base + found.group(0)

    page.goto(link)
    expect(page.get_by_role("heading", name="Sign in to check on your report")).to_be_visible()
    _checked(page, "open")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your report")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Received")
    expect(page.get_by_text(report.reference)).to_be_visible()

    # It worked once; opening it again says so kindly and offers a new one.
    page.goto(link)
    expect(
        page.get_by_role("heading", name="This link has expired or has been used")
    ).to_be_visible()
    _checked(page, "used")
    page.get_by_role("button", name="Get a new sign-in link").click()
    expect(page.get_by_role("heading", name="Get a sign-in link by email")).to_be_visible()
