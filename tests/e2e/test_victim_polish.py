"""Polish left from issue 16, on a phone at 320 px: the file upload says all of "No file
chosen", on the report's evidence page and in the diary."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from vigil.cases.tests.factories import make_report
from vigil.reporting.references import hash_tracking_secret, new_reference

from .test_axe_public import axe_with_best_practice
from .test_safety import SECRET, track_sign_in

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("VIGIL_SHOTS", "")


def _upload_says_no_file_chosen_in_full(page: Page, label: str) -> None:
    status = page.locator(".govuk-file-upload-button__status")
    expect(status).to_have_text("No file chosen")
    # Not cut short: the words fit in their box, and the box fits on the screen.
    fits = status.evaluate("el => el.scrollWidth <= el.clientWidth")
    box = status.bounding_box()
    assert fits and box is not None and box["x"] + box["width"] <= 320, (label, box)
    assert page.evaluate("document.documentElement.scrollWidth <= 320"), label
    violations = axe_with_best_practice(page)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(SHOTS) / f"upload-{label}-320.png", full_page=True)
    assert violations == [], label
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(SHOTS) / f"upload-{label}-320.png", full_page=True)


def test_the_evidence_and_diary_uploads_say_no_file_chosen_in_full_on_a_phone(
    live_server: Any, phone: Page
) -> None:
    base = live_server.url
    phone.goto(f"{base}/report/")
    phone.get_by_role("button", name="Start now").click()
    phone.goto(f"{base}/report/evidence/")
    _upload_says_no_file_chosen_in_full(phone, "evidence")

    report = make_report(
        reference=new_reference(), tracking_secret_hash=hash_tracking_secret(SECRET)
    )
    track_sign_in(phone, base, report)
    phone.goto(f"{base}/safety/diary/new/")
    _upload_says_no_file_chosen_in_full(phone, "diary")


def test_a_trusted_contact_says_no_and_the_victim_sees_it(live_server: Any, phone: Page) -> None:
    import re

    from vigil.notifications.models import OutboxMessage
    from vigil.safety.tests.conftest import add_contact

    base = live_server.url
    report = make_report(
        reference=new_reference(), tracking_secret_hash=hash_tracking_secret(SECRET)
    )
    contact = add_contact(report, confirm=False)
    body = OutboxMessage.objects.get(purpose="safety.contact_invite").body
    match = re.search(r"https?://[^/\s]+(/safety/confirm/[^/\s]+/)", body)
    assert match, body
    phone.goto(f"{base}{match.group(1)}")
    phone.get_by_role("button", name="No, I do not want to be a trusted contact").click()
    expect(phone.get_by_role("heading", name="You are not a trusted contact")).to_be_visible()
    _upload_free_checks(phone, "contact-declined")

    track_sign_in(phone, base, report)
    phone.goto(f"{base}/safety/contacts/")
    expect(phone.get_by_text("Said no: they will not get alerts")).to_be_visible()
    expect(phone.get_by_role("term").filter(has_text=contact.name)).to_be_visible()
    _upload_free_checks(phone, "contacts-said-no")


def test_a_deleted_diary_entry_comes_back_with_undo(live_server: Any, phone: Page) -> None:
    import datetime

    from django.utils import timezone

    from vigil.safety.services import diary_entry_add

    base = live_server.url
    report = make_report(
        reference=new_reference(), tracking_secret_hash=hash_tracking_secret(SECRET)
    )
    entry = diary_entry_add(
        report=report,
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        files=[],
        what_happened="He was outside the school gates again.",
    )
    track_sign_in(phone, base, report)
    phone.goto(f"{base}/safety/diary/{entry.pk}/delete/")
    phone.get_by_role("button", name="Yes, delete it").click()
    expect(phone.get_by_text("Your entry has been deleted.")).to_be_visible()
    expect(phone.get_by_text("He was outside the school gates again.")).to_have_count(0)
    _upload_free_checks(phone, "diary-deleted")
    phone.get_by_role("button", name="Undo").click()
    expect(phone.get_by_text("Your entry is back in your diary.")).to_be_visible()
    expect(phone.get_by_text("He was outside the school gates again.")).to_be_visible()


def _upload_free_checks(page: Page, label: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= 320"), label
    assert axe_with_best_practice(page) == [], label
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(SHOTS) / f"polish-{label}-320.png", full_page=True)
