"""Public pages and report journeys are counted in aggregate, and nothing about a visitor kept."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vigil.public_site import usage
from vigil.public_site.models import JourneyStepDay, PageViewDay

pytestmark = pytest.mark.django_db


def views_of(page: str) -> int:
    row = PageViewDay.objects.filter(page=page).first()
    return row.views if row else 0


def test_each_page_shown_adds_one_to_its_count_for_the_day(client: Client) -> None:
    client.get("/get-help/")
    client.get("/get-help/")
    client.get("/what-stalking-is/")
    assert views_of("public_site:get_help") == 2
    assert views_of("public_site:page:what-stalking-is") == 1
    assert PageViewDay.objects.count() == 2


def test_counting_sets_no_cookie(client: Client) -> None:
    response = client.get("/get-help/")
    assert response.cookies == {}
    assert views_of("public_site:get_help") == 1


def test_only_the_day_page_and_count_are_kept() -> None:
    columns = {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), PageViewDay._meta.db_table
        )
    }
    assert columns == {"id", "day", "page", "views"}
    journey_columns = {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), JourneyStepDay._meta.db_table
        )
    }
    assert journey_columns == {"id", "day", "step", "journeys"}


def test_pages_that_do_not_exist_and_staff_pages_are_not_counted(client: Client) -> None:
    client.get("/no-such-page/")
    client.get("/staff/")
    client.get("/healthz")
    assert PageViewDay.objects.count() == 0


def test_a_secret_in_a_link_is_never_stored(client: Client) -> None:
    token = "A" * 40
    client.get(f"/report/track/email/{token}/")
    assert not PageViewDay.objects.filter(page__contains=token).exists()


def _start_report(client: Client) -> None:
    client.get("/report/")
    client.post("/report/", {})


def test_each_report_journey_counts_once_per_question_page(client: Client) -> None:
    _start_report(client)
    client.get("/report/who/")
    client.get("/report/who/")  # back again: the same journey
    client.post("/report/who/", {"who": "self"})
    other = Client()
    _start_report(other)
    other.get("/report/who/")
    steps = dict(JourneyStepDay.objects.values_list("step", "journeys"))
    assert steps["who"] == 2


def test_a_journey_that_stops_early_reaches_only_the_pages_it_saw(client: Client) -> None:
    _start_report(client)
    client.get("/report/who/")
    steps = dict(JourneyStepDay.objects.values_list("step", "journeys"))
    assert steps == {"who": 1}


def test_counts_are_added_up_and_written_together_not_one_write_per_page(
    client: Client, settings: Any
) -> None:
    settings.VIGIL_USAGE_FLUSH_SECONDS = 3600
    usage.flush()
    client.get("/get-help/")
    client.get("/get-help/")
    client.get("/what-stalking-is/")
    assert PageViewDay.objects.count() == 0  # not yet written: no visitor waited on a count
    with CaptureQueriesContext(connection) as queries:
        usage.flush()  # one upsert per page, in one transaction
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(writes) == 2
    assert views_of("public_site:get_help") == 2
    assert views_of("public_site:page:what-stalking-is") == 1
    client.get("/get-help/")
    usage.flush()
    assert views_of("public_site:get_help") == 3  # added to, never replaced


def test_counts_are_written_once_the_interval_has_passed(
    client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.VIGIL_USAGE_FLUSH_SECONDS = 10
    usage.flush()
    now = [1000.0]
    monkeypatch.setattr(usage.time, "monotonic", lambda: now[0])
    usage.flush()  # the interval starts now
    client.get("/get-help/")
    assert views_of("public_site:get_help") == 0
    now[0] += 11
    client.get("/get-help/")
    assert views_of("public_site:get_help") == 2


def test_reading_the_counts_includes_this_process_pending_ones(
    client: Client, settings: Any
) -> None:
    settings.VIGIL_USAGE_FLUSH_SECONDS = 3600
    usage.flush()
    client.get("/get-help/")
    today = timezone.localdate()
    assert dict(usage.page_views(start=today, end=today + datetime.timedelta(days=1))) == {
        "public_site:get_help": 1
    }
