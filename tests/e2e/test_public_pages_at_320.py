"""Public and victim pages on a 320 px phone (WCAG 1.4.10), in English and in Welsh, whose words
are longer: the page never scrolls sideways, no word in a table or an answer list is split
across two lines ("Expire s", "vigil_sess ion"), a table scrolls inside its own focusable, named
box or stacks, axe-core finds nothing, and Exit this page stays on screen and works."""

from __future__ import annotations

import datetime
import importlib
import os
import re
from pathlib import Path
from pprint import pformat
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from vigil.cases.tests.factories import make_report
from vigil.notifications.models import OutboxMessage
from vigil.public_site.tests.test_pages import PUBLIC_PAGES
from vigil.reporting.references import hash_tracking_secret, new_reference
from vigil.reporting.services import report_message_from_reporter
from vigil.reporting.tests.journey import fill_until_check, send
from vigil.safety.services import (
    contact_add,
    diary_entry_add,
    location_share,
    timer_start,
    timer_stop_token,
)

from .reflow import reflow_problems, words_split_across_lines
from .test_private_record import keep_a_record
from .test_safety import SECRET, track_sign_in

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["en", "cy"]
LANGUAGE_COOKIE = django_settings.LANGUAGE_COOKIE_NAME
SHOTS = os.environ.get("VIGIL_SHOTS", "")

# Exit this page: on the first screen of the page, and not covered by anything.
EXIT_ON_SCREEN = """
() => {
  const link = document.querySelector(".govuk-exit-this-page__button");
  if (!link) return "no Exit this page button";
  const box = link.getBoundingClientRect();
  if (box.width === 0 || box.left < 0 || box.right > 320 || box.top < 0 || box.bottom > 640)
    return `off screen: ${JSON.stringify(box)}`;
  const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  if (!link.contains(top)) return `covered by ${top && top.outerHTML.slice(0, 80)}`;
  return "";
}
"""


@pytest.fixture(autouse=True)
def _default_help_services(transactional_db: None) -> None:
    """The help directory the migration loads, which the get help page lists."""
    from django.apps import apps

    migration = importlib.import_module("vigil.public_site.migrations.0002_default_help_services")
    migration.add_services(apps, None)


def _speak(page: Page, base: str, language: str) -> None:
    page.context.add_cookies([{"name": LANGUAGE_COOKIE, "value": language, "url": base}])


@pytest.fixture(autouse=True)
def exit_url(live_server: Any, settings: Any) -> str:
    """Where Exit this page goes: a page of the test server, so the test sees it arrive."""
    settings.VIGIL_QUICK_EXIT_URL = f"{live_server.url}/healthz"
    return str(settings.VIGIL_QUICK_EXIT_URL)


def _leave(page: Page, exit_url: str) -> None:
    page.locator(".govuk-exit-this-page__button").click()
    page.wait_for_url(exit_url)


def _problems_at_320(page: Page, url: str, *, table: bool = False) -> list[object]:
    response = page.goto(url)
    problems: list[object] = []
    if page.url != url or response is None or response.status != 200:
        return [f"not this page, but {page.url}: the test data did not reach it"]
    if table and page.locator("main table").count() == 0:
        problems.append("no table: the test data did not reach this page")
    problems += reflow_problems(page)
    if exit_problem := page.evaluate(EXIT_ON_SCREEN):
        problems.append({"Exit this page": exit_problem})
    if table:
        # Where a stacked table is a table again (a tablet, a computer), its words stay whole.
        for width in (641, 1280):
            page.set_viewport_size({"width": width, "height": 640})
            if split := words_split_across_lines(page):
                problems.append({f"words split across lines at {width} px": split})
        page.set_viewport_size({"width": 320, "height": 640})
    if SHOTS:
        _shoot(page, url)
    return problems


def _shoot(page: Page, url: str) -> None:
    """With VIGIL_SHOTS=dir, each page at 320 and 1280 px wide, to look at."""
    language = page.get_attribute("html", "lang") or "en"
    name = language + "-" + (urlsplit(url).path.strip("/").replace("/", "-") or "home")
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 640})
        page.screenshot(path=Path(SHOTS) / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 640})


def _check(
    page: Page, base: str, urls: dict[str, bool], *, leave_from_each: str = ""
) -> dict[str, object]:
    """Each page (True: it has a table) in each language; with `leave_from_each`, Exit this
    page is pressed on each and must arrive there (a page needing no sign-in)."""
    found: dict[str, object] = {}
    for language in LANGUAGES:
        for url, table in urls.items():
            _speak(page, base, language)  # again: leaving clears every cookie
            if problems := _problems_at_320(page, base + url, table=table):
                found[f"{language} {url}"] = problems
            if leave_from_each:
                _leave(page, leave_from_each)
    return found


def test_the_public_pages_fit_320px_in_english_and_welsh(
    live_server: Any, phone: Page, exit_url: str
) -> None:
    base = live_server.url
    urls = {
        **dict.fromkeys(PUBLIC_PAGES, False),
        "/cookies/": True,
        "/harassment-or-stalking/": True,
        "/report/": False,
        "/report/track/": False,
        "/report/track/email/": False,
        "/private-record/": False,
        "/private-record/sign-in/": False,
    }
    problems = _check(phone, base, urls, leave_from_each=exit_url)
    assert problems == {}, pformat(problems, width=100)


def test_the_victim_pages_fit_320px_in_english_and_welsh(
    live_server: Any, phone: Page, exit_url: str
) -> None:
    base = live_server.url
    report = make_report(
        reference=new_reference(), tracking_secret_hash=hash_tracking_secret(SECRET)
    )
    report_message_from_reporter(
        report=report,
        body="Please email me at samantha.longname-richardson@example-mail-provider.co.uk",
    )
    entries = [
        diary_entry_add(
            report=report,
            occurred_at=timezone.now() - datetime.timedelta(days=days),
            files=[],
            place="Outside my flat",
            what_happened=what,
        )
        for days, what in ((1, "He was outside the school gates again."), (3, "He rang 30 times."))
    ]
    contact_add(
        report=report,
        name="Samantha Longname-Richardson",
        email="samantha.longname-richardson@example-mail-provider.co.uk",
        phone="07700 900456",
        known_as="Alice",
        site_url=base,
    )
    location_share(
        report=report, place="Tesco Extra car park, Llandudno Junction", from_device=False
    )
    timer = timer_start(
        report=report,
        plan="Walking home from work",
        minutes=30,
        reminder_channel="",
        alert_officer=False,
    )
    invite = OutboxMessage.objects.get(purpose="safety.contact_invite", channel="email")
    confirm = re.search(r"/safety/confirm/[^/\s]+/", invite.body)
    assert confirm is not None
    track_sign_in(phone, base, report)
    urls = {
        "/report/track/report/": False,
        "/report/track/evidence/": False,
        "/report/track/incident/": False,
        "/report/track/contact/": False,
        "/report/track/withdraw/": False,
        "/safety/": False,
        "/safety/diary/new/": False,
        "/safety/contacts/add/": False,
        "/safety/alert/": False,
        "/safety/diary/": True,
        f"/safety/diary/{entries[0].pk}/": False,
        f"/safety/diary/{entries[0].pk}/edit/": False,
        f"/safety/diary/{entries[0].pk}/share/": False,
        f"/safety/diary/{entries[0].pk}/delete/": False,
        # What the trusted contact opens, from the invitation and from a reminder.
        confirm.group(0): False,
        f"/safety/timer/stop/{timer_stop_token(timer)}/": False,
        "/safety/contacts/": False,
        "/safety/timer/": False,
        "/safety/place/?lat=53.28345&lon=-3.80571": False,
    }
    problems = _check(phone, base, urls)
    assert problems == {}, pformat(problems, width=100)
    _leave(phone, exit_url)
    phone.goto(f"{base}/safety/diary/")
    expect(phone.get_by_text("He rang 30 times.")).to_have_count(0)


def test_a_report_being_written_fits_320px_in_english_and_welsh(
    live_server: Any, phone: Page, exit_url: str
) -> None:
    base = live_server.url
    client = Client()
    fill_until_check(client)

    def carry_over() -> None:
        phone.context.add_cookies(
            [{"name": n, "value": m.value, "url": base} for n, m in client.cookies.items()]
        )

    carry_over()
    urls = {
        "/report/check/": False,
        "/report/suspects/": False,
        "/report/incidents/": False,
        "/report/evidence/": False,
    }
    problems = _check(phone, base, urls)
    send(client)
    carry_over()
    problems |= _check(phone, base, {"/report/sent/": False})
    assert problems == {}, pformat(problems, width=100)
    _leave(phone, exit_url)


def test_a_private_record_fits_320px_in_english_and_welsh(
    live_server: Any, phone: Page, exit_url: str
) -> None:
    base = live_server.url
    keep_a_record(
        phone,
        base,
        phone="07700 900999",
        account="He waits by my car every morning",
        email="someone.with.a.long.address@example-mail-provider.co.uk",
    )
    problems = _check(
        phone, base, {"/private-record/kept/": False, "/private-record/yours/": False}
    )
    assert problems == {}, pformat(problems, width=100)
    _leave(phone, exit_url)
    phone.goto(f"{base}/private-record/yours/")
    expect(phone.get_by_text("He waits by my car every morning")).to_have_count(0)
