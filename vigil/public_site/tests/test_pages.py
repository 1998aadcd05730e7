from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from vigil.public_site.models import HelpService

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
PUBLIC_PAGES = [
    "/",
    "/what-stalking-is/",
    "/is-this-stalking/",
    "/after-you-report/",
    "/get-help/",
    "/staying-safe/",
    "/harassment-or-stalking/",
    "/accessibility/",
    "/privacy/",
    "/cookies/",
    "/hide-your-visit/",
    "/feedback/",
    "/feedback/sent/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_has_the_quick_exit_and_is_not_cached(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/exit/"' in html and "Exit this page" in html
    assert response["Cache-Control"].startswith("no-store")


def test_the_home_page_explains_four_and_that_it_is_never_your_fault(client: Client) -> None:
    html = client.get("/").content.decode()
    for text in (
        "Fixated",
        "Obsessive",
        "Unwanted",
        "Repeated",
        "1 in 5 women",
        "1 in 10 men",
        "never your fault",
        "What to do now",
    ):
        assert text in html


def test_the_behaviours_page_covers_tech_abuse(client: Client) -> None:
    html = client.get("/what-stalking-is/").content.decode()
    for text in ("spyware", "AirTag", "fake profiles", "following you"):
        assert text in html


@time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0, tzinfo=LONDON), tick=False)
def test_get_help_shows_whether_the_helpline_is_open_now(client: Client) -> None:
    html = client.get("/get-help/").content.decode()
    assert "National Stalking Helpline" in html
    assert "0808 802 0300" in html
    assert "Open now, closes at 16:00" in html
    assert "Open 24 hours, every day" in html  # 999


@time_machine.travel(datetime.datetime(2026, 12, 25, 12, 0, tzinfo=LONDON), tick=False)
def test_get_help_on_christmas_day_says_when_the_helpline_reopens(client: Client) -> None:
    html = client.get("/get-help/").content.decode()
    assert "Closed for the bank holiday, opens Tuesday at 09:30" in html


def test_services_are_data_the_force_can_change(client: Client) -> None:
    HelpService.objects.create(
        name="Local Stalking Advocacy",
        slug="local",
        helps_with="Help near you",
        phone="01234 567890",
        hours_note="Call to find out more.",
    )
    HelpService.objects.filter(slug="paladin").update(is_listed=False)
    html = client.get("/get-help/").content.decode()
    assert "Local Stalking Advocacy" in html and "01234 567890" in html
    assert "Paladin" not in html


def test_the_default_directory_lists_the_police_and_partners() -> None:
    slugs = set(HelpService.objects.values_list("slug", flat=True))
    assert {
        "emergency",
        "non-emergency",
        "report-online",
        "relay-uk",
        "national-stalking-helpline",
        "victim-support",
        "paladin",
    } <= slugs
    helpline = HelpService.objects.get(slug="national-stalking-helpline")
    assert [str(p) for p in helpline.periods.all()] == [
        "Monday 09:30-20:00",
        "Tuesday 09:30-16:00",
        "Wednesday 09:30-20:00",
        "Thursday 09:30-16:00",
        "Friday 09:30-16:00",
    ]


def test_the_error_pages_have_the_quick_exit(client: Client) -> None:
    html = client.get("/no-such-page/").content.decode()
    assert 'href="/exit/"' in html


def test_an_administrator_edits_help_services_and_hours_in_the_admin(
    staff_client: object,
) -> None:
    from vigil.accounts.models import Role

    client = staff_client(Role.ADMINISTRATOR, is_staff=True)  # type: ignore[operator]
    helpline = HelpService.objects.get(slug="national-stalking-helpline")
    response = client.get(f"/staff/admin/public_site/helpservice/{helpline.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "0808 802 0300" in html
    assert "Opening times" in html or "opening time" in html.lower()
