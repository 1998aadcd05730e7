"""Issue 22 in a browser: the DPO's retention and subject access pages, and the officer's
"not delivered yet" panel, checked with axe at desktop and phone widths."""

from __future__ import annotations

import datetime
import io
import os
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from vigil.accounts.models import Role, User
from vigil.cases import services
from vigil.cases.models import Case, Incident
from vigil.cases.tests.factories import close_case, make_case, victim_of

from .conftest import axe_violations
from .test_risk import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("VIGIL_E2E_SHOTS", "")


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _due_case(make_staff: Callable[..., User]) -> Case:
    officer = make_staff(Role.INVESTIGATOR)
    case = make_case(by=officer, officer=officer)
    close_case(case, by=officer)
    long_ago = timezone.now() - datetime.timedelta(days=7 * 365)
    Case.objects.filter(pk=case.pk).update(closed_at=long_ago)
    # The victim's own incidents count as her activity: make them as old as the closure.
    Incident.objects.filter(case=case).update(created_at=long_ago)
    call_command("retention_sweep", stdout=io.StringIO())
    return case


@pytest.mark.parametrize("width", [1280, 320])
def test_the_dpo_reviews_holds_and_finds_a_subject(
    live_server: object, browser: object, make_staff: Callable[..., User], width: int
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    case = _due_case(make_staff)
    context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    sign_in(page, base, make_staff(Role.DPO))

    page.get_by_role("link", name="Retention").first.click()
    expect(page.get_by_role("heading", name="Records due for review")).to_be_visible()
    assert axe_violations(page) == []
    _shot(page, f"records-queue-{width}")

    page.get_by_role("link", name=case.reference).click()
    page.get_by_role("button", name="Put on hold").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    _shot(page, f"records-case-error-{width}")
    page.get_by_label("Why must the case be kept?").fill("A complaint is open")
    page.get_by_role("button", name="Put on hold").click()
    expect(page.get_by_text("The record is on legal hold.")).to_be_visible()
    assert axe_violations(page) == []
    _shot(page, f"records-case-held-{width}")

    page.goto(f"{base}/staff/records/subject-access/?email=alice%40example.com")
    expect(page.get_by_role("heading", name="Make the export")).to_be_visible()
    assert axe_violations(page) == []
    _shot(page, f"records-sar-{width}")
    context.close()


def test_the_officer_sees_a_message_not_delivered_yet(
    live_server: object, page: Page, make_staff: Callable[..., User]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    officer = make_staff(Role.INVESTIGATOR)
    case = make_case(by=officer, officer=officer)
    services.victim_message_send(
        case=case, victim=victim_of(case), channel="email", body="Please call", by=officer
    )
    sign_in(page, base, officer)
    page.goto(f"{base}/staff/cases/{case.pk}/contact/")
    expect(page.get_by_role("heading", name="Messages not delivered yet")).to_be_visible()
    assert axe_violations(page) == []
    _shot(page, "contact-not-delivered-1280")
