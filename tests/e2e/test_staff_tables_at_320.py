"""Staff tables on a 320 px phone (WCAG 1.4.10): headings and cells wrap between words, never
inside one ("Victi m"); a wide table scrolls inside its own focusable, named box instead."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from vigil.accounts.models import Role, User
from vigil.cases.tests.factories import make_case

from .conftest import axe_violations
from .test_risk import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# Every word in a table heading or cell whose letters sit on more than one line. A hyphen is a
# word boundary ("Ex-" / "partner"), as in print.
WORDS_SPLIT_ACROSS_LINES = """
() => {
  const split = [];
  for (const cell of document.querySelectorAll(".govuk-table__header, .govuk-table__cell")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/[^\\s-]+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set(
          [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))
        );
        if (lines.size > 1) split.push(word[0]);
      }
    }
  }
  return split;
}
"""


def test_a_staff_case_list_and_case_at_320px_never_break_inside_a_word(
    live_server: object, phone: Page, make_staff: Callable[..., User]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    coordinator = make_staff(Role.COORDINATOR)
    officer = make_staff(Role.INVESTIGATOR)
    case = make_case(by=coordinator, officer=officer, details={"behaviours": ["following"]})
    make_case(by=coordinator, classification="stalking_s4a")
    sign_in(phone, base, coordinator)

    for url in (reverse("cases:list"), reverse("cases:detail", args=[case.pk])):
        phone.goto(base + url)
        assert phone.evaluate(WORDS_SPLIT_ACROSS_LINES) == [], url
        # The page itself never scrolls sideways: only a table, inside its own box.
        assert phone.evaluate("document.documentElement.scrollWidth") <= 320, url
        table = phone.locator("table.vigil-table--responsive").first
        assert table.get_attribute("tabindex") == "0"
        assert table.locator("caption").count() == 1  # its name, read when it takes focus
        assert axe_violations(phone) == [], url
