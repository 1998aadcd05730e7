"""A victim searching for help must find the awareness and help pages (issue 16, point 11);
the report, tracking, safety tools and staff pages stay out of search engines."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

FINDABLE = [
    "/",
    "/what-stalking-is/",
    "/is-this-stalking/",
    "/after-you-report/",
    "/staying-safe/",
    "/harassment-or-stalking/",
    "/get-help/",
    "/hide-your-visit/",
]
HIDDEN = ["/report/", "/report/track/", "/report/resume/", "/safety/", "/cookies/", "/feedback/"]


def _robots(html: str) -> str:
    match = re.search(r'<meta name="robots" content="([^"]+)">', html)
    assert match
    return match.group(1)


@pytest.mark.parametrize("path", FINDABLE)
def test_awareness_and_help_pages_may_be_indexed_and_describe_themselves(
    client: Client, path: str
) -> None:
    html = client.get(path).content.decode()
    assert _robots(html) == "index, follow"
    description = re.search(r'<meta name="description" content="([^"]{40,160})">', html)
    assert description, path


@pytest.mark.parametrize("path", HIDDEN)
def test_report_tracking_and_safety_pages_stay_out_of_search(client: Client, path: str) -> None:
    response = client.get(path, follow=True)
    assert _robots(response.content.decode()) == "noindex, nofollow"


def test_robots_txt_points_to_the_sitemap_and_keeps_staff_out(client: Client) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /staff/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_the_sitemap_lists_the_findable_pages_and_nothing_else(client: Client) -> None:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = re.findall(r"<loc>http://testserver([^<]+)</loc>", response.content.decode())
    assert sorted(locations) == sorted(FINDABLE)
