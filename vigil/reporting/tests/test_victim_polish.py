"""The rough edges left from issue 16: headings, uploads on a phone, limits, timers."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from vigil.reporting.tests.journey import post

pytestmark = pytest.mark.django_db


def test_the_who_is_reporting_page_has_one_heading_and_it_is_the_question() -> None:
    client = Client()
    post(client, "/report/", {"action": "start"})
    page = client.get("/report/who/").content.decode()
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", page, flags=re.S)
    assert [h.strip() for h in headings] == ["Who is making this report?"]
    # The question is the fieldset's legend, so a screen reader hears it once, with the radios.
    legend = re.search(r"<legend[^>]*>(.*?)</legend>", page, flags=re.S)
    assert legend is not None and "Who is making this report?" in legend.group(1)
    # Its error state keeps the one heading.
    errors = client.post("/report/who/", {}).content.decode()
    assert len(re.findall(r"<h1", errors)) == 1
    assert "Select who is making this report" in errors


def test_dates_on_the_check_page_and_the_incident_list_are_in_welsh_in_welsh() -> None:
    from vigil.reporting.tests.journey import fill_until_check

    client = Client()
    client.cookies["vigil_language"] = "cy"
    fill_until_check(client)
    check = client.get("/report/check/").content.decode()
    # Date of birth 3 April 1990; the incident on 20 November 2026.
    assert "3 Ebrill 1990" in check
    assert "20 Tachwedd 2026" in check
    assert "April" not in check and "November" not in check
    incidents = client.get("/report/incidents/").content.decode()
    assert "20 Tachwedd 2026" in incidents
