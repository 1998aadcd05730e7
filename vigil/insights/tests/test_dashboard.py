"""The dashboard as a coordinator sees it: definitions, charts with their tables, figures that
are not recorded yet, CSV, drill-down within scope, and 404 for everyone else."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role
from vigil.audit.models import AuditEvent
from vigil.cases.tests.factories import make_case
from vigil.insights import sources
from vigil.insights.csvexport import neutralise
from vigil.insights.models import FigureSnapshot
from vigil.insights.services import insights_sweep
from vigil.insights.sources import register_source, source_get, unregister_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def coord(staff_client: Callable[..., Client]) -> Client:
    return staff_client(Role.COORDINATOR)


@pytest.fixture
def fake_plans(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A safety-plans source counting 2 of 5 high-risk cases (the real one is put back after)."""
    monkeypatch.setitem(
        sources._SOURCES,
        "safeguarding.high_risk_plans",
        sources.Source(
            "safeguarding.high_risk_plans",
            lambda cases, start, end: (2, 5),
            drill=lambda cases, start, end, row: cases.filter(risk_level="high"),
        ),
    )
    yield


@pytest.fixture
def no_plans_source(monkeypatch: pytest.MonkeyPatch) -> None:
    """As before safety plans were recorded: their source is not registered."""
    monkeypatch.delitem(sources._SOURCES, "safeguarding.high_risk_plans", raising=False)


def _csv(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_each_figure_has_its_definition_and_a_chart_with_a_title_description_and_table(
    coord: Client, make_staff: Callable[..., Any]
) -> None:
    make_case(by=make_staff(Role.CALL_HANDLER))
    html = coord.get(reverse("insights:dashboard")).content.decode()
    assert "Cases opened in the period." in html
    assert "Cases by risk level" in html
    assert '<svg class="vigil-chart' in html
    assert "<script" not in html.split('id="figure-cases_by_risk"')[1].split("</section>")[0]
    assert 'aria-labelledby="chart-cases_by_risk-title chart-cases_by_risk-desc"' in html
    assert '<desc id="chart-cases_by_risk-desc">' in html
    assert "Cases by risk level: the numbers" in html  # the same numbers, in a table


def test_a_chart_with_nothing_to_show_is_left_out_and_the_table_stays(coord: Client) -> None:
    html = coord.get(reverse("insights:dashboard")).content.decode()
    section = html.split('id="figure-cases_by_risk"')[1].split("</section>")[0]
    assert "<svg" not in section
    assert "Cases by risk level: the numbers" in section


def test_a_figure_with_no_source_says_not_recorded_yet_and_shows_no_zero(
    coord: Client, no_plans_source: None
) -> None:
    assert source_get("safeguarding.high_risk_plans") is None
    html = coord.get(reverse("insights:dashboard")).content.decode()
    section = html.split('id="figure-high_risk_plans"')[1].split("</section>")[0]
    assert "Not recorded yet" in section
    assert "<table" not in section and ">0<" not in section


def test_a_registered_source_appears_with_its_share(coord: Client, fake_plans: None) -> None:
    html = coord.get(reverse("insights:dashboard")).content.decode()
    section = html.split('id="figure-high_risk_plans"')[1].split("</section>")[0]
    assert "Not recorded yet" not in section
    assert "(40%)" in section  # 2 of 5
    assert "(60%)" in section  # the 3 without


def test_the_snapshot_is_refreshed_when_a_source_is_registered(
    coord: Client, no_plans_source: None
) -> None:
    coord.get(reverse("insights:dashboard"))
    register_source("safeguarding.high_risk_plans", lambda cases, start, end: (1, 4))
    try:
        html = coord.get(reverse("insights:dashboard")).content.decode()
    finally:
        unregister_source("safeguarding.high_risk_plans")
    section = html.split('id="figure-high_risk_plans"')[1].split("</section>")[0]
    assert "(25%)" in section


def test_the_figures_are_shared_as_a_snapshot_and_its_age_shown(coord: Client) -> None:
    coord.get(reverse("insights:dashboard"))
    assert FigureSnapshot.objects.count() == 1
    html = coord.get(reverse("insights:dashboard")).content.decode()
    assert FigureSnapshot.objects.count() == 1
    assert "These figures were worked out just now." in html


def test_the_sweep_refreshes_each_view_once(
    make_staff: Callable[..., Any],
) -> None:
    make_staff(Role.COORDINATOR)
    first = insights_sweep()
    count = FigureSnapshot.objects.count()
    assert first == count > 0
    insights_sweep()
    assert FigureSnapshot.objects.count() == count  # replaced, not added


def test_a_call_handler_and_an_investigator_get_404(
    staff_client: Callable[..., Client],
) -> None:
    for role in (Role.CALL_HANDLER, Role.INVESTIGATOR, Role.PARTNER, Role.DPO):
        client = staff_client(role)
        for name, kwargs in (
            ("insights:dashboard", {}),
            ("insights:drill", {"key": "cases_opened"}),
            ("insights:csv", {"key": "cases_opened"}),
            ("insights:public_use", {}),
        ):
            assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, (role, name)


def test_drill_down_lists_the_cases_behind_a_number_and_is_audited(
    coord: Client, make_staff: Callable[..., Any]
) -> None:
    handler = make_staff(Role.CALL_HANDLER)
    case = make_case(by=handler)
    response = coord.get(reverse("insights:drill", kwargs={"key": "cases_opened"}) + "?row=total")
    assert response.status_code == 200
    assert case.reference in response.content.decode()
    assert AuditEvent.objects.filter(action="insights.drill").exists()


def test_drill_down_of_a_figure_not_recorded_yet_lists_nothing(coord: Client) -> None:
    make_case(by=coord.user)  # type: ignore[attr-defined]
    response = coord.get(reverse("insights:drill", kwargs={"key": "high_risk_plans"}))
    assert response.status_code == 200
    assert "0 cases" in response.content.decode()


def test_an_unknown_figure_is_404(coord: Client) -> None:
    assert coord.get(reverse("insights:drill", kwargs={"key": "nope"})).status_code == 404
    assert coord.get(reverse("insights:csv", kwargs={"key": "nope"})).status_code == 404


def test_every_table_downloads_as_csv(coord: Client, make_staff: Callable[..., Any]) -> None:
    make_case(by=make_staff(Role.CALL_HANDLER))
    rows = _csv(coord.get(reverse("insights:csv", kwargs={"key": "cases_opened"})))
    assert rows[0][:4] == ["Figure", "Row", "This period", "Previous period"]
    assert rows[1][2] == "1"
    trend = _csv(coord.get(reverse("insights:csv", kwargs={"key": "trend"})))
    assert sum(int(r[1]) for r in trend[1:]) == 1


@pytest.mark.parametrize("text", ["=HYPERLINK(1)", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_that_would_run_as_a_formula_are_neutralised(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert neutralise(-3) == -3  # numbers stay numbers
    assert neutralise("Harassment") == "Harassment"


def test_a_formula_in_a_table_reaches_the_csv_neutralised(coord: Client) -> None:
    register_source("cases.outcomes", lambda cases, start, end: {"=cmd|' /C calc'!A0": 3})
    try:
        rows = _csv(coord.get(reverse("insights:csv", kwargs={"key": "outcomes"})))
    finally:
        from vigil.insights.figures import register_case_sources

        register_case_sources()
    assert any(row[1] == "'=cmd|' /C calc'!A0" for row in rows)


def test_the_filters_keep_the_answers_and_explain_a_mistake(coord: Client) -> None:
    response = coord.get(
        reverse("insights:dashboard"),
        {
            "period": "dates",
            "start_0": "31",
            "start_1": "5",
            "start_2": "2026",
            "end_0": "1",
            "end_1": "5",
            "end_2": "2026",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "The last day must be the same as or after the first day" in html
    assert 'value="31"' in html


def test_a_chosen_period_and_team_are_shown(coord: Client) -> None:
    response = coord.get(
        reverse("insights:dashboard"),
        {
            "period": "dates",
            "start_0": "1",
            "start_1": "5",
            "start_2": "2026",
            "end_0": "31",
            "end_1": "5",
            "end_2": "2026",
            "trend": "month",
        },
    )
    assert "From 1 May 2026 to 31 May 2026" in response.content.decode()


def test_the_printable_view_has_the_tables_and_no_form(coord: Client) -> None:
    html = coord.get(reverse("insights:print")).content.decode()
    assert "Cases by risk level: the numbers" in html
    assert "Show figures" not in html


def test_the_public_site_view_shows_where_the_report_loses_people(coord: Client) -> None:
    public = Client()
    public.get("/get-help/")
    public.get("/report/")
    public.post("/report/", {})
    public.get("/report/who/")
    html = coord.get(reverse("insights:public_use")).content.decode()
    assert '<th scope="row" class="govuk-table__header">/get-help/</th>' in html
    assert "Who is reporting" in html
    rows = _csv(coord.get(reverse("insights:public_use_csv", kwargs={"table": "journeys"})))
    assert rows[1] == ["Who is reporting", "1", "100"]


def test_the_coordinator_home_page_links_to_insights(coord: Client) -> None:
    html = coord.get(reverse("accounts:home")).content.decode()
    assert reverse("insights:dashboard") in html


@pytest.mark.parametrize(
    "query",
    [
        "team=not-a-uuid",
        "area=00000000-0000-0000-0000-000000000000",
        "period=zzz&trend=year",
        "period=dates&start_0=1&start_1=1&start_2=99999999999999&end_0=x&end_1=&end_2=",
        "period=dates&start_0=1&start_1=1&start_2=1990&end_0=1&end_1=1&end_2=2026",
        "page=999999&row=%00%27",
    ],
)
def test_no_query_string_causes_an_error_page(coord: Client, query: str) -> None:
    for name, kwargs in (
        ("insights:dashboard", {}),
        ("insights:drill", {"key": "outcomes"}),
        ("insights:csv", {"key": "outcomes"}),
        ("insights:public_use", {}),
    ):
        assert coord.get(reverse(name, kwargs=kwargs) + "?" + query).status_code == 200
