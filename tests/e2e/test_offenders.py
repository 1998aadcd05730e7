"""A coordinator takes a Stalking Protection Order from consideration to a breach; the
suspect's warning markers then show on the other victim's case, linked to the same person."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from vigil.accounts.models import Role, User
from vigil.offenders.tests.helpers import linked_cases

from .conftest import axe_violations
from .test_linking import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _date(page: Page, name: str) -> None:
    today = timezone.localdate()
    page.locator(f'input[name="{name}_0"]').fill(str(today.day))
    page.locator(f'input[name="{name}_1"]').fill(str(today.month))
    page.locator(f'input[name="{name}_2"]').fill(str(today.year))


def _clean(page: Page) -> None:
    assert axe_violations(page) == []


def test_consider_apply_interim_full_notification_breach_and_the_marker_on_a_linked_case(
    live_server: object, page: Page, make_staff: Callable[..., User]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    coordinator = make_staff(Role.COORDINATOR, email="cora@test.police.uk")
    owen = make_staff(Role.OFFENDER_MANAGER, email="owen@test.police.uk", team=None)
    oscar = make_staff(Role.INVESTIGATOR, email="oscar@test.police.uk", team=None)
    pair = linked_cases(
        handler=make_staff(Role.CALL_HANDLER),
        officer=make_staff(Role.INVESTIGATOR, team=None),
        other_officer=oscar,
        by=coordinator,
    )
    sign_in(page, base, coordinator)
    page.goto(f"{base}/staff/cases/{pair.first.pk}/")
    page.get_by_role("link", name="Consider a Stalking Protection Order").click()
    _clean(page)
    page.get_by_label("Mallory Sample").check()
    page.get_by_role("group", name="Will you apply for a Stalking Protection Order?").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("heading", name="Considered")).to_be_visible()
    _clean(page)

    page.get_by_role("link", name="Draft the application").click()
    page.get_by_label("Acts of stalking").fill("Followed her home on 1 and 8 November.")
    page.get_by_label("Risk", exact=True).fill("Escalating; threats to her new partner.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("link", name="Add a prohibition or requirement").click()
    page.get_by_label("Prohibition").check()
    page.get_by_label("Condition", exact=True).fill("Not to enter Mill Road, Exeter.")
    page.get_by_label("Why the court is asked for it").fill("She lives and works there.")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text("Not to enter Mill Road, Exeter.")).to_be_visible()

    page.get_by_role("link", name="Record the application to court").click()
    page.get_by_label("Magistrates' court").fill("Exeter Magistrates' Court")
    _date(page, "applied_on")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Applied to court")).to_be_visible()

    page.get_by_role("link", name="Interim order made").click()
    _date(page, "made_on")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Interim order in force")).to_be_visible()

    page.get_by_role("link", name="Full order made").click()
    _date(page, "made_on")
    page.get_by_label("Until further order (no end date)").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Full order in force")).to_be_visible()
    expect(page.locator("#order-steps")).to_contain_text("Interim order ended")

    page.get_by_role("link", name="Order served").click()
    _date(page, "served_on")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#order-notifications")).to_contain_text("not received yet")
    page.get_by_role("link", name="Record a notification").click()
    page.get_by_label("Names and home address after service").check()
    _date(page, "received_on")
    page.get_by_label("Names and home address notified").fill("Mallory Sample, 4 Elm Close")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#order-notifications")).to_contain_text("received")
    _clean(page)

    page.get_by_role("link", name="Record a breach").click()
    _date(page, "occurred_on")
    page.get_by_label("Which condition was breached?").select_option(
        label="Prohibition: Not to enter Mill Road, Exeter."
    )
    page.get_by_label("What happened").fill("Seen on Mill Road at 8pm.")
    _clean(page)
    page.get_by_role("button", name="Record breach").click()
    expect(page.get_by_text("Breach recorded on every protected case")).to_be_visible()
    expect(page.locator("#order-breaches")).to_contain_text("Seen on Mill Road at 8pm.")
    _clean(page)

    page.get_by_role("link", name="Back to the person").click()
    _clean(page)
    page.get_by_role("link", name="Change manager, plan and bail").click()
    page.get_by_label("Offender manager").select_option(label=owen.full_name)
    page.get_by_label("Management plan").fill("Weekly home visits; check notifications.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Weekly home visits; check notifications.")).to_be_visible()
    expect(page.locator("#person-cases")).to_contain_text(pair.second.reference)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, owen)
    expect(page.get_by_role("heading", name="People you manage")).to_be_visible()
    _clean(page)
    page.get_by_role("link", name="All the people you manage").click()
    page.get_by_role("link", name="Mallory Sample").click()
    expect(page.locator("#person-cases")).to_contain_text(pair.first.reference)
    expect(page.get_by_text("Ann One")).to_have_count(0)
    _clean(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, oscar)
    page.goto(f"{base}/staff/cases/{pair.second.pk}/")
    markers = page.locator(".vigil-markers")
    expect(markers).to_contain_text("Breach history")
    expect(markers).to_contain_text("Stalking Protection Order in force")
    _clean(page)
    page.goto(f"{base}/staff/cases/{pair.second.pk}/actions/")
    expect(page.get_by_text("Consider arrest and charge").first).to_be_visible()
