from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from vigil.accounts.models import Role, User
from vigil.accounts.tests.factories import TEST_PASSWORD
from vigil.cases.tests.factories import make_case
from vigil.risk.models import RiskAssessment

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
    expect(page.get_by_text("Signed in as")).to_be_visible()


def test_an_investigator_completes_an_sdash_from_the_case_page(
    live_server: object, page: Page, make_staff: Callable[..., User]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    officer = make_staff(Role.INVESTIGATOR)
    case = make_case(by=make_staff(Role.CALL_HANDLER), officer=officer)
    sign_in(page, base, officer)

    page.goto(f"{base}/staff/cases/{case.pk}/")
    page.get_by_role("navigation", name="Case sections").get_by_role("link", name="Risk").click()
    expect(page.get_by_role("heading", name="Risk", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="S-DASH stalking screening").click()

    # Submitting with nothing chosen explains every missing answer and keeps the page.
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert axe_violations(page) == []

    for number in range(1, 12):
        group = page.get_by_role("group", name=re.compile(rf"^{number}\. "))
        group.get_by_label("Yes" if number in (1, 4, 5) else "No", exact=True).check()
    page.get_by_label("Comment on question 1 (optional)").fill("She is scared to leave the house.")
    page.get_by_role("group", name="Your professional judgement of the risk").get_by_label(
        "High"
    ).check()
    page.get_by_label("Reasons for this level").fill("Daily contact and loitering at home.")
    page.get_by_role("button", name="Save assessment").click()

    expect(page.get_by_text("S-DASH stalking screening saved: High risk.")).to_be_visible()
    expect(page.get_by_text("High risk").first).to_be_visible()
    assessment = RiskAssessment.objects.get()
    assert (assessment.yes_count, assessment.level) == (3, "high")
    assert axe_violations(page) == []
