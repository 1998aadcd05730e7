"""An officer reviews a possible match and links two records; the coordinator sees the alert."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from vigil.accounts.models import Role, User
from vigil.accounts.tests.factories import TEST_PASSWORD
from vigil.linking.tests.conftest import _engine_scope  # noqa: F401 (records of made-up owners)
from vigil.linking.tests.factories import add_record

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page: Page, base: str, user: User) -> None:
    device = user.totpdevice_set.get()
    page.goto(f"{base}/staff/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Sign in").click()


def test_an_officer_links_two_reports_and_the_coordinator_is_alerted(
    live_server: object, page: Page, make_staff: Callable[..., User]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    officer = make_staff(Role.INVESTIGATOR, email="ivy@test.police.uk")
    record = add_record(
        victim="victim-1",
        label="Suspect in report A",
        names=["Bill Smith"],
        date_of_birth="1985-03-12",
        phones=["07700 900123"],
    )
    add_record(
        victim="victim-2",
        label="Suspect in report B",
        names=["William Smith"],
        date_of_birth="12/03/1985",
    )

    sign_in(page, base, officer)
    page.goto(f"{base}/staff/linking/records/{record.pk}/")
    expect(page.get_by_role("heading", name="Possible matches")).to_be_visible()
    expect(page.get_by_text("99% likely the same person")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Why (optional)").fill("Same date of birth and name")
    page.get_by_role("button", name=re.compile(r"^Same person")).click()
    expect(page.get_by_text("The records are now linked as the same person.")).to_be_visible()
    expect(page.get_by_role("link", name="Suspect in report B").first).to_be_visible()
    assert axe_violations(page) == []

    coordinator = make_staff(Role.COORDINATOR, email="cora@test.police.uk")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, coordinator)
    page.goto(f"{base}/staff/linking/")
    page.get_by_role("link", name="Suspect of more than one victim").click()
    expect(page.get_by_text("This person is a suspect for 2 different victims.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Mark as reviewed").click()
    expect(page.get_by_text("The alert is marked as reviewed.")).to_be_visible()
