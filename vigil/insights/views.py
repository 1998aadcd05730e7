"""The coordinator's dashboard: thin views over vigil/insights/selectors.py."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.insights import presentation, selectors
from vigil.insights.csvexport import csv_response
from vigil.insights.figures import FIGURE_BY_KEY
from vigil.insights.forms import filters_from
from vigil.public_site import usage

_ROW = re.compile(r"[\w.:-]{1,40}")


def _viewer(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.has_perm("insights.view_dashboard"):
        raise Http404
    return user


def _dashboard_context(request: HttpRequest) -> dict[str, object]:
    user = _viewer(request)
    form, filters = filters_from(request.GET)
    board = selectors.dashboard(user=user, filters=filters)
    figures = [
        {"result": result, "rows": result.rows(), "chart": presentation.figure_chart(result)}
        for result in board.results
    ]
    query = request.GET.urlencode()
    return {
        "form": form if form.is_bound else None,
        "filters_form": form,
        "board": board,
        "figures": figures,
        "trend_chart": presentation.trend_chart(board),
        "query": query,
    }


def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/dashboard.html", _dashboard_context(request))


def dashboard_print(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/print.html", _dashboard_context(request))


def figure_csv(request: HttpRequest, key: str) -> HttpResponse:
    user = _viewer(request)
    _form, filters = filters_from(request.GET)
    board = selectors.dashboard(user=user, filters=filters)
    if key == "trend":
        header, rows = presentation.trend_csv_rows(board)
    elif key in board.by_key:
        header, rows = presentation.figure_csv_rows(board.by_key[key])
    else:
        raise Http404
    name = f"{key}-{filters.start.isoformat()}-to-{filters.last_day.isoformat()}.csv"
    return csv_response(filename=name, header=header, rows=rows)


def drill(request: HttpRequest, key: str) -> HttpResponse:
    """The cases behind one number on the dashboard, within the viewer's scope."""
    user = _viewer(request)
    figure = FIGURE_BY_KEY.get(key)
    if figure is None:
        raise Http404
    _form, filters = filters_from(request.GET)
    row = request.GET.get("row", "total")
    if not _ROW.fullmatch(row):  # a row is a short code ("part", "high"); anything else: all
        row = "total"
    cases = selectors.drill_cases(user=user, filters=filters, figure=figure, row=row)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    labels = dict(figure.rows)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "insights/drill.html",
        {
            "figure": figure,
            "row_label": labels.get(row, ""),
            "filters": filters,
            "page_obj": page,
            "query": query.urlencode(),
        },
    )


def public_use(request: HttpRequest) -> HttpResponse:
    """How the public site is used: for comms, to see where people give up on the report."""
    _viewer(request)
    form, filters = filters_from(request.GET)
    pages = presentation.page_rows(start=filters.start, end=filters.end)
    journeys = presentation.journey_rows(start=filters.start, end=filters.end)
    return render(
        request,
        "insights/public_use.html",
        {
            "form": form if form.is_bound else None,
            "filters_form": form,
            "filters": filters,
            "pages": pages,
            "journeys": journeys,
            "journey_chart": presentation.journey_chart(journeys),
            "query": request.GET.urlencode(),
        },
    )


def public_use_csv(request: HttpRequest, table: str) -> HttpResponse:
    _viewer(request)
    _form, filters = filters_from(request.GET)
    span = f"{filters.start.isoformat()}-to-{filters.last_day.isoformat()}"
    if table == "pages":
        return csv_response(
            filename=f"page-views-by-day-{span}.csv",
            header=[_("Day"), _("Page"), _("Views")],
            rows=[
                [day.isoformat(), presentation.page_address(page), views]
                for day, page, views in usage.page_views_daily(start=filters.start, end=filters.end)
            ],
        )
    if table == "journeys":
        rows = presentation.journey_rows(start=filters.start, end=filters.end)
        return csv_response(
            filename=f"report-journeys-{span}.csv",
            header=[_("Page"), _("Journeys"), _("Of those who started (%)")],
            rows=[[row.title, row.journeys, row.percent_of_start] for row in rows],
        )
    raise Http404
