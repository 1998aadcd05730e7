"""The one home of the checks a page must pass on a 320 px phone (WCAG 1.4.10 reflow), used by
every browser test that looks at a page that narrow: the page never scrolls sideways, no word
is split across two lines ("Victi m", "vigil_sess ion"), no reference is split either (it is
read out over the phone: "CS-KRX4-" / "TMPA-7"), a wide table scrolls inside its own
focusable, named box (or stacks), and axe-core finds nothing."""

from __future__ import annotations

from playwright.sync_api import Page

from .conftest import axe_violations

# Every word in a table, an answer list (summary list) or a reference whose letters sit on more
# than one line. A hyphen is a word boundary, as in print ("Ex-" / "partner"). A file's
# fingerprint (SHA-256) and a secret code are no words: they break anywhere, and are copied,
# not read. Text no one sees on the screen (visually hidden, a 1 px box) has no lines to split.
WORDS_SPLIT_ACROSS_LINES = """
() => {
  const split = [];
  const selector = [
    ".govuk-table__header", ".govuk-table__cell",
    ".govuk-summary-list__key", ".govuk-summary-list__value", ".govuk-summary-list__actions",
    ".vigil-reference", "[data-testid=reference]",
  ].join(", ");
  for (const box of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (parent.closest(".vigil-hash, .vigil-secret")) continue;
      if (parent.getBoundingClientRect().width <= 1 || !parent.checkVisibility()) continue;
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
  return [...new Set(split)];
}
"""

# Every reference shown anywhere on the page whose characters sit on more than one line,
# wherever it is (a heading's caption, a list, a summary list, a table): found by its shape
# (vigil/common/references.py: an optional "CS-" or "PH-", then four, four and one characters
# of the alphabet), not by a class, so a reference a template forgot to mark is caught too.
# A secret code (four groups of four) is no reference: it is copied, and may break.
REFERENCES_SPLIT_ACROSS_LINES = """
() => {
  const c = "[ACDEFGHJKMNPQRTUVWXY347]";
  const shape = new RegExp(`(?<![A-Z0-9-])(?:[A-Z]{2}-)?${c}{4}-${c}{4}-${c}(?![A-Z0-9-])`, "g");
  const split = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent.closest(".vigil-secret, script, style")) continue;
    if (parent.getBoundingClientRect().width <= 1 || !parent.checkVisibility()) continue;
    for (const reference of node.data.matchAll(shape)) {
      const range = document.createRange();
      range.setStart(node, reference.index);
      range.setEnd(node, reference.index + reference[0].length);
      const lines = new Set(
        [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))
      );
      if (lines.size > 1) split.push(reference[0]);
    }
  }
  return [...new Set(split)];
}
"""

# Every table in the page's main content that would widen the page or squeeze its words on a
# phone: not a stacked list table, and not in a focusable, named scroll box of its own (the
# table itself, named by its caption, or a named region around it).
TABLES_WITHOUT_A_SCROLL_BOX = """
() => [...document.querySelectorAll("main table")].filter((table) => {
  if (table.classList.contains("vigil-table--stacked")) return false;
  const own = table.classList.contains("vigil-table--responsive")
    && table.getAttribute("tabindex") === "0"
    && table.querySelector(":scope > caption")?.textContent.trim();
  const box = table.closest(".vigil-table-scroll");
  const region = box && box.getAttribute("tabindex") === "0"
    && box.getAttribute("role") === "region" && box.getAttribute("aria-label");
  return !(own || region);
}).map((table) => table.caption?.textContent.trim() || table.outerHTML.slice(0, 60))
"""


def page_width_beyond_the_screen(page: Page) -> int:
    """How many pixels the page is wider than the phone's screen (0 when it never scrolls
    sideways). The screen is the window Playwright opened, not the page's own idea of its width:
    a page without a viewport tag is laid out 980 px wide on a phone, and must fail too."""
    screen = page.viewport_size["width"] if page.viewport_size else 320
    return max(0, int(page.evaluate("document.documentElement.scrollWidth")) - screen)


def words_split_across_lines(page: Page) -> list[str]:
    return list(page.evaluate(WORDS_SPLIT_ACROSS_LINES))


def references_split_across_lines(page: Page) -> list[str]:
    return list(page.evaluate(REFERENCES_SPLIT_ACROSS_LINES))


def tables_without_a_scroll_box(page: Page) -> list[str]:
    return list(page.evaluate(TABLES_WITHOUT_A_SCROLL_BOX))


def reflow_problems(page: Page, *, axe: bool = True) -> list[object]:
    """What is wrong with the page as it is drawn now, at the window's width; [] when nothing.
    Each problem names what a person would notice, to read in a failing test's message."""
    problems: list[object] = []
    if wider := page_width_beyond_the_screen(page):
        problems.append(f"the page scrolls sideways: {wider} px wider than the screen")
    if split := words_split_across_lines(page):
        problems.append({"words split across lines": split})
    if split := references_split_across_lines(page):
        problems.append({"references split across lines": split})
    if unboxed := tables_without_a_scroll_box(page):
        problems.append({"tables with no scroll box": unboxed})
    if axe and (violations := axe_violations(page)):
        problems.append({"axe": violations})
    return problems
