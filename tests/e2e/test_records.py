"""Issue 22 in a browser: the DPO's retention and subject access pages, and the officer's
"not delivered yet" panel, checked with axe at desktop and phone widths."""

from __future__ import annotations

import datetime
import io
import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

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


@pytest.mark.parametrize("width", [1280, 320])
def test_the_dpo_finds_a_phone_report_and_downloads_its_export(
    live_server: object, browser: object, make_staff: Callable[..., User], width: int
) -> None:
    """A friend phoned for Alice: the reference finds the call as hers and as the caller's;
    the DPO exports Alice's part, and the ZIP holds what the call handler wrote down."""
    base = live_server.url  # type: ignore[attr-defined]
    phone_report = services.phone_report_create(
        by=make_staff(Role.CALL_HANDLER, full_name="Harriet Handler"),
        summary="Her ex-partner waits outside her work every evening.",
        victim={"name": "Alice Example", "phone": "07700 900123"},
        safe_contact={"channels": ["phone"]},
        suspects=[{"relationship": "ex_partner", "names": ["Mallory Sample"]}],
        behaviours=["loitering"],
        caller_is_victim=False,
    )
    viewport = {"width": width, "height": 900}
    context = browser.new_context(viewport=viewport, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    sign_in(page, base, make_staff(Role.DPO))
    page.goto(f"{base}/staff/records/subject-access/")
    page.get_by_label("Report or case reference").fill(phone_report.reference)
    page.get_by_role("button", name="Find records").click()
    expect(page.get_by_role("heading", name="Make the export")).to_be_visible()
    expect(
        page.get_by_label(f"Phone report {phone_report.reference}: Alice Example")
    ).to_be_visible()
    expect(page.get_by_label("the caller, not the victim", exact=False)).to_be_visible()
    assert axe_violations(page) == []
    _shot(page, f"records-sar-phone-{width}")

    page.get_by_role("button", name="Record the decision and download").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    _shot(page, f"records-sar-phone-error-{width}")

    page.get_by_label(f"Phone report {phone_report.reference}: Alice Example").check()
    page.get_by_label("Disclosed in part: other people's information withheld").check()
    page.get_by_label("Request reference").fill("SAR 2026/7")
    with page.expect_download() as download:
        page.get_by_role("button", name="Record the decision and download").click()
    archive = zipfile.ZipFile(Path(download.value.path()))
    data = json.loads(archive.read("subject_access.json"))
    assert data["reports"][0]["what_we_were_told"] == phone_report.summary
    whole = json.dumps(data)
    assert "Mallory Sample" not in whole and "Harriet Handler" not in whole
    context.close()
