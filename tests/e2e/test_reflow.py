"""The 320 px checks themselves (tests/e2e/reflow.py) fail on a page that is broken, and pass on
one that is not: a check that finds nothing on a broken page would let every page through."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from .reflow import (
    references_split_across_lines,
    reflow_problems,
    tables_without_a_scroll_box,
    words_split_across_lines,
)

VIGIL_CSS = Path(__file__).resolve().parents[2] / "vigil" / "static" / "dist" / "vigil.css"


def _show(page: Page, body: str, *, vigil_css: bool = False) -> None:
    page.set_content(
        f"""<!DOCTYPE html><html lang="en"><head><title>A test page</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"></head>
        <body class="govuk-template__body" style="margin: 0">
        <main class="govuk-main-wrapper">{body}</main></body>
        </html>"""
    )
    if vigil_css:
        page.add_style_tag(path=str(VIGIL_CSS))


def test_a_long_word_squeezed_in_a_table_cell_is_reported(phone: Page) -> None:
    _show(
        phone,
        """<table class="govuk-table vigil-table--responsive" tabindex="0">
        <caption>Sessions</caption><tbody><tr>
        <td class="govuk-table__cell" style="overflow-wrap: anywhere; max-width: 60px">
        vigil_sessionid_that_never_ends</td></tr></tbody></table>""",
    )
    assert words_split_across_lines(phone) == ["vigil_sessionid_that_never_ends"]
    assert {"words split across lines": ["vigil_sessionid_that_never_ends"]} in reflow_problems(
        phone, axe=False
    )


def test_a_words_hyphen_is_a_place_to_break_but_a_references_is_not(phone: Page) -> None:
    _show(
        phone,
        """<p style="width: 7ch; font: 16px monospace">Ex-partner</p>
        <p style="width: 9ch; font: 16px monospace">Case CS-KRX4-TMPA-7</p>""",
    )
    assert words_split_across_lines(phone) == []
    assert references_split_across_lines(phone) == ["CS-KRX4-TMPA-7"]


def test_a_reference_outside_a_table_stays_on_one_line_with_vigils_styles(phone: Page) -> None:
    """The order page's "Protects the cases" row: a summary list, not a table."""
    _show(
        phone,
        """<dl class="govuk-summary-list"><div class="govuk-summary-list__row">
        <dt class="govuk-summary-list__key">Protects the cases</dt>
        <dd class="govuk-summary-list__value">
        <a class="govuk-link vigil-reference" href="#a">CS-KRX4-TMPA-7</a>,
        <a class="govuk-link vigil-reference" href="#b">CS-DEFG-HJKM-N</a>,
        <a class="govuk-link vigil-reference" href="#c">CS-PQRT-UVWX-Y</a>,
        <a class="govuk-link vigil-reference" href="#d">CS-ACDE-FGHJ-K</a></dd></div></dl>""",
        vigil_css=True,
    )
    assert references_split_across_lines(phone) == []
    phone.add_style_tag(content=".vigil-reference { white-space: normal !important; }")
    assert references_split_across_lines(phone) != []


def test_a_secret_code_may_break_as_no_reference(phone: Page) -> None:
    _show(
        phone,
        """<p style="width: 6ch; font: 16px monospace">ACDE-FGHJ-KMNP-QRTU</p>
        <p class="vigil-secret" style="width: 6ch; font: 16px monospace">CS-KRX4-TMPA-7</p>""",
    )
    assert references_split_across_lines(phone) == []


def test_a_page_wider_than_the_phone_is_reported(phone: Page) -> None:
    _show(phone, '<div style="width: 400px">A wide box</div>')
    assert "the page scrolls sideways: 80 px wider than the screen" in reflow_problems(
        phone, axe=False
    )


def test_a_page_with_no_viewport_tag_is_wider_than_the_phone(phone: Page) -> None:
    """Laid out 980 px wide and shrunk: the words are too small to read without zooming."""
    phone.set_content("<!DOCTYPE html><html lang='en'><body><main><p>Hello</p></main></body>")
    assert "the page scrolls sideways: 660 px wider than the screen" in reflow_problems(
        phone, axe=False
    )


def test_a_table_with_no_named_focusable_box_is_reported(phone: Page) -> None:
    _show(
        phone,
        """<table class="govuk-table"><caption>Bare</caption><tr><td>1</td></tr></table>
        <table class="govuk-table vigil-table--responsive"><caption>No focus</caption>
        <tr><td>1</td></tr></table>
        <table class="govuk-table vigil-table--responsive" tabindex="0"><caption>Own box</caption>
        <tr><td>1</td></tr></table>
        <div class="vigil-table-scroll" tabindex="0" role="region" aria-label="Named region">
        <table class="govuk-table"><tr><td>1</td></tr></table></div>
        <table class="govuk-table vigil-table--stacked"><tr><td>1</td></tr></table>""",
    )
    assert tables_without_a_scroll_box(phone) == ["Bare", "No focus"]


def test_a_page_that_reflows_has_no_problems(phone: Page) -> None:
    _show(
        phone,
        """<h1>Case <span class="vigil-reference">CS-KRX4-TMPA-7</span></h1>
        <dl class="govuk-summary-list"><div class="govuk-summary-list__row">
        <dt class="govuk-summary-list__key">Status</dt>
        <dd class="govuk-summary-list__value">Open, with an officer in charge</dd></div></dl>""",
        vigil_css=True,
    )
    assert reflow_problems(phone) == []
