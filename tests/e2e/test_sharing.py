"""Journey 5, the sharing part: an investigator refers the victim to an advocacy service sharing
only the summary and the incidents; the advocate accepts, adds a safety measure and an update;
the investigator sees both on the timeline; the advocate cannot open the contact log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from vigil.accounts.models import Role, User
from vigil.accounts.tests.factories import AgencyFactory
from vigil.cases.models import PersonRole
from vigil.cases.tests.factories import make_case

from .conftest import axe_violations
from .test_risk import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_investigator_refers_and_the_advocate_adds_to_the_case(
    live_server: object, page: Page, browser: Browser, make_staff: Callable[..., User]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    officer = make_staff(Role.INVESTIGATOR)
    advocacy = AgencyFactory(name="North Stalking Advocacy", kind="partner")
    advocate = make_staff(Role.PARTNER, agency=advocacy)
    case = make_case(by=make_staff(Role.CALL_HANDLER), officer=officer)
    victim_name = case.people.get(role=PersonRole.VICTIM).name
    first_incident = case.incidents.first().summary.splitlines()[0]  # type: ignore[union-attr]

    # The investigator refers the victim, sharing only the summary and the incidents.
    sign_in(page, base, officer)
    page.goto(f"{base}/staff/cases/{case.pk}/")
    page.get_by_role("navigation", name="Case sections").get_by_role(
        "link", name="Partners"
    ).click()
    page.get_by_role("link", name="Refer the victim to a partner agency").click()
    page.get_by_role("button", name="Make the referral").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Partner agency").select_option(label="North Stalking Advocacy")
    page.get_by_label("Why you are referring the victim").fill("She wants an advocate.")
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
    expect(page.get_by_role("heading", name="North Stalking Advocacy")).to_be_visible()
    assert axe_violations(page) == []

    # The advocate accepts, adds a safety measure and an update.
    context = browser.new_context()
    partner = context.new_page()
    sign_in(partner, base, advocate)
    partner.get_by_role("link", name="Referrals", exact=True).first.click()
    partner.get_by_role("link", name=case.reference).click()
    expect(partner.get_by_text(first_incident)).to_have_count(0)  # not before accepting
    partner.get_by_role("button", name="Accept the referral").click()
    expect(partner.get_by_text("Referral accepted.")).to_be_visible()
    expect(partner.get_by_text(first_incident).first).to_be_visible()
    assert victim_name not in partner.content()
    assert axe_violations(partner) == []
    for kind, words in (("Safety measure", "Personal alarm given"), ("Update", "Met her today")):
        partner.get_by_role("group", name="What are you adding?").get_by_label(
            kind, exact=True
        ).check()
        partner.get_by_label("Details").fill(words)
        partner.get_by_role("button", name="Add to the case").click()
        expect(partner.get_by_text("Added to the case.")).to_be_visible()

    # The advocate cannot open the police record: the contact log does not exist for them.
    response = partner.goto(f"{base}/staff/cases/{case.pk}/contact/")
    assert response is not None and response.status == 404
    context.close()

    # The investigator sees both on the timeline, marked with the agency.
    page.goto(f"{base}/staff/cases/{case.pk}/timeline/")
    # The measure joined the case's safety plan, owned by the agency that added it.
    expect(
        page.get_by_text("Safety plan: North Stalking Advocacy added Personal alarm given")
    ).to_be_visible()
    expect(page.get_by_text("North Stalking Advocacy: Update")).to_be_visible()
    expect(page.get_by_text("Met her today")).to_be_visible()
    assert axe_violations(page) == []
