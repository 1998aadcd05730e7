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

from .conftest import axe_violations
from .test_risk import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# For every word the person can see in the list: how many lines it is drawn on.
WORDS_SPLIT_ACROSS_LINES = """(selector) => {
    const split = [];
    for (const root of document.querySelectorAll(selector)) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const box = node.parentElement.getBoundingClientRect();
            if (box.width <= 1 || !node.parentElement.checkVisibility()) continue;
            for (const match of node.data.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
                if (tops.size > 1) split.push(match[0]);
            }
        }
    }
    return split;
}"""


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

    assert phone.evaluate(WORDS_SPLIT_ACROSS_LINES, "main table") == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    # The headings are still the table's for a screen reader.
    expect(phone.get_by_role("columnheader", name="Status")).to_have_count(1)
    assert axe_violations(phone) == []
