"""The partner's list of referrals at 320 px (WCAG 1.4.10 reflow): each referral stacks under
its headings, and no heading or answer breaks inside a word ("Statu s")."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from vigil.accounts.models import Role, User
from vigil.accounts.tests.factories import AgencyFactory
from vigil.cases.tests.factories import make_case
from vigil.sharing.tests.factories import refer

from .reflow import reflow_problems
from .test_risk import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_referral_list_reflows_at_320px_without_breaking_a_word(
    live_server: object, phone: Page, make_staff: Callable[..., User]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    advocacy = AgencyFactory(name="North Stalking Advocacy", kind="partner")
    advocate = make_staff(Role.PARTNER, agency=advocacy)
    officer = make_staff(Role.INVESTIGATOR)
    case = make_case(by=make_staff(Role.CALL_HANDLER), officer=officer)
    refer(case=case, agency=advocacy, by=officer)

    sign_in(phone, base, advocate)
    phone.goto(f"{base}/staff/sharing/")
    expect(phone.get_by_role("link", name=case.reference)).to_be_visible()

    assert reflow_problems(phone) == []
    # The headings are still the table's for a screen reader.
    expect(phone.get_by_role("columnheader", name="Status")).to_have_count(1)
