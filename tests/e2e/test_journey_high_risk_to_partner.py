"""Journey 5, end to end across risk, safeguarding and sharing: an S-DASH graded high asks for a
safety plan and tells the coordinator; the investigator makes the plan and refers the victim to
an advocacy service sharing only chosen sections; the advocate accepts and adds a measure and an
update, which the investigator sees; the partner of another agency gets 404 everywhere; consent
withdrawn ends the advocate's access on their next request."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from vigil.accounts.models import Role, User
from vigil.accounts.tests.factories import AgencyFactory
from vigil.cases.models import PersonRole
from vigil.cases.tests.factories import make_case
from vigil.notifications.models import OutboxMessage
from vigil.safeguarding.models import SafetyMeasure

from .conftest import axe_violations
from .test_risk import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _grade_high(page: Page, base: str, case_id: object) -> None:
    page.goto(f"{base}/staff/cases/{case_id}/")
    page.get_by_role("navigation", name="Case sections").get_by_role("link", name="Risk").click()
    page.get_by_role("link", name="S-DASH stalking screening").click()
    for number in range(1, 12):
        group = page.get_by_role("group", name=re.compile(rf"^{number}\. "))
        group.get_by_label("Yes" if number <= 7 else "No", exact=True).check()
    page.get_by_role("group", name="Your professional judgement of the risk").get_by_label(
        "High"
    ).check()
    page.get_by_label("Reasons for this level").fill("Threats to kill; at her home every night.")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("S-DASH stalking screening saved: High risk.")).to_be_visible()


def _refer(page: Page, agency: str) -> None:
    page.get_by_role("navigation", name="Case sections").get_by_role(
        "link", name="Partners"
    ).click()
    page.get_by_role("link", name="Refer the victim to a partner agency").click()
    page.get_by_label("Partner agency").select_option(label=agency)
    page.get_by_label("Why you are referring the victim").fill("High risk: she wants an ISAC.")
    page.get_by_label("Summary: offence, status and dates").check()
    page.get_by_label("Incidents: when, what happened, behaviours").check()
    page.get_by_role("group", name="Basis for sharing").get_by_label("The victim consented").check()
    page.get_by_label("Who gave consent").fill("The victim")
    consent_date = page.get_by_role("group", name="Date consent was given")
    consent_date.get_by_label("Day").fill("1")
    consent_date.get_by_label("Month").fill("11")
    consent_date.get_by_label("Year").fill("2026")
    page.get_by_role("group", name="How consent was given").get_by_label("On the phone").check()
    page.get_by_label("What the victim agreed to share, and with whom").fill(
        "Her summary and incidents, with the advocacy service."
    )
    page.get_by_role("button", name="Make the referral").click()
    expect(page.get_by_text("Referral sent.")).to_be_visible()


def test_high_risk_to_safety_plan_to_partner_and_back(
    live_server: object, page: Page, browser: Browser, make_staff: Callable[..., User]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    officer = make_staff(Role.INVESTIGATOR)
    coordinator = make_staff(Role.COORDINATOR)
    advocacy = AgencyFactory(name="North Stalking Advocacy", kind="partner")
    advocate = make_staff(Role.PARTNER, agency=advocacy)
    other_partner = make_staff(
        Role.PARTNER, agency=AgencyFactory(name="Elsewhere Housing", kind="partner")
    )
    case = make_case(by=make_staff(Role.CALL_HANDLER), officer=officer)
    victim_name = case.people.get(role=PersonRole.VICTIM).name
    first_incident = case.incidents.first().summary.splitlines()[0]  # type: ignore[union-attr]

    # High risk: the risk page asks for a safety plan, and the coordinator is told.
    sign_in(page, base, officer)
    _grade_high(page, base, case.pk)
    # (The recipient is encrypted at rest: compared here, not in the query.)
    told = OutboxMessage.objects.filter(purpose="risk.high_risk_coordinator")
    assert [message.recipient for message in told] == [coordinator.email]
    page.get_by_role("link", name="Make a safety plan").click()
    expect(page.get_by_role("heading", name="Safety plan", exact=True)).to_be_visible()
    page.get_by_label("Alarm", exact=True).check()
    page.get_by_label("Who owns it").select_option(index=1)
    page.get_by_role("group", name="Status").get_by_label("In place").check()
    page.get_by_role("button", name="Add the measure").click()
    expect(page.get_by_text("Measure added to the safety plan.")).to_be_visible()
    page.goto(f"{base}/staff/cases/{case.pk}/")
    page.get_by_role("navigation", name="Case sections").get_by_role("link", name="Risk").click()
    expect(page.get_by_role("link", name="Make a safety plan")).to_have_count(0)

    # The referral shares only the summary and the incidents.
    page.goto(f"{base}/staff/cases/{case.pk}/")
    _refer(page, "North Stalking Advocacy")
    assert axe_violations(page) == []

    # The advocate accepts and adds a measure and an update; never the victim's name.
    partner_context = browser.new_context()
    partner = partner_context.new_page()
    sign_in(partner, base, advocate)
    partner.get_by_role("link", name="Referrals", exact=True).first.click()
    partner.get_by_role("link", name=case.reference).click()
    partner.get_by_role("button", name="Accept the referral").click()
    expect(partner.get_by_text("Referral accepted.")).to_be_visible()
    expect(partner.get_by_text(first_incident).first).to_be_visible()
    assert victim_name not in partner.content()
    referral_url = partner.url
    for kind, words in (("Safety measure", "Phone safety check done"), ("Update", "Met her")):
        partner.get_by_role("group", name="What are you adding?").get_by_label(
            kind, exact=True
        ).check()
        partner.get_by_label("Details").fill(words)
        partner.get_by_role("button", name="Add to the case").click()
        expect(partner.get_by_text("Added to the case.")).to_be_visible()
    assert axe_violations(partner) == []

    # The investigator sees both: the measure is on the case's plan, owned by the agency.
    page.goto(f"{base}/staff/cases/{case.pk}/timeline/")
    expect(page.get_by_text("North Stalking Advocacy: Update")).to_be_visible()
    expect(
        page.get_by_text("Safety plan: North Stalking Advocacy added Phone safety check done")
    ).to_be_visible()
    assert SafetyMeasure.objects.filter(
        plan__case=case, owner_agency=advocacy, title="Phone safety check done"
    ).exists()

    # Another agency's partner reaches nothing of it.
    other_context = browser.new_context()
    other = other_context.new_page()
    sign_in(other, base, other_partner)
    for path in (
        referral_url.removeprefix(base),
        f"/staff/cases/{case.pk}/",
        f"/staff/cases/{case.pk}/timeline/",
        f"/staff/safeguarding/cases/{case.pk}/plan/",
        f"/staff/sharing/cases/{case.pk}/",
    ):
        response = other.goto(f"{base}{path}")
        assert response is not None and response.status == 404, path
    other_context.close()

    # The victim withdraws consent: the advocate's very next request is refused.
    page.goto(f"{base}/staff/cases/{case.pk}/")
    page.get_by_role("navigation", name="Case sections").get_by_role(
        "link", name="Partners"
    ).click()
    page.get_by_role("link", name=re.compile("^End")).click()
    page.get_by_label("The victim withdrew their consent").check()
    page.get_by_label("Details").fill("She called to say she no longer wants it shared.")
    page.get_by_role("button", name="End the referral").click()
    expect(page.get_by_text("Referral ended. The agency no longer sees the case.")).to_be_visible()
    partner.goto(referral_url)
    expect(partner.get_by_text(first_incident)).to_have_count(0)
    response = partner.goto(f"{base}/staff/cases/{case.pk}/timeline/")
    assert response is not None and response.status == 404
    partner_context.close()
