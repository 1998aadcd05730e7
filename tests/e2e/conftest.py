"""Browser tests: Playwright driving Debian's Chromium against a live Vigil server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in this thread; the test server and the ORM calls in
# the test itself are ordinary blocking code, which Django must be told is fine here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("VIGIL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # Browser tests run in real transactions and the database is flushed after each;
            # a serialized rollback puts back what data migrations loaded (priority grades,
            # risk tools), so no test depends on running first. All of them, or none: mixing
            # the two makes the restore collide with re-created content types.
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


# What the test database held after migrations, serialized once at its creation. Django keeps it
# on the main thread's connection object; after some browser tests that object is a new one (the
# shared in-memory SQLite connection is handed between the live server's thread and ours), and a
# serialized rollback would then silently restore nothing. Keep our own copy and hand it back.
_MIGRATED_CONTENT: dict[str, str] = {}


@pytest.fixture(scope="session", autouse=True)
def _keep_migrated_content(django_db_setup: None) -> None:
    from django.db import connections

    content = getattr(connections["default"], "_test_serialized_contents", None)
    if content:
        _MIGRATED_CONTENT["default"] = content


@pytest.fixture(autouse=True)
def _rate_limits_start_from_none() -> None:
    """Rate-limit counters (feedback per connection, sign-in links) live in the cache, which the
    live server shares with the tests and which outlives each test's database: every browser
    test comes from 127.0.0.1, so one test's posts would count against the next."""
    from django.core.cache import cache

    cache.clear()


def _hand_back_migrated_content() -> None:
    """Before a test starts (restore) and before it ends (the flush must then leave the content
    types alone, or the next restore collides with them)."""
    if "default" not in _MIGRATED_CONTENT:
        return  # the first test: the database is fresh from its migrations
    from django.db import connections

    connection: Any = connections["default"]
    if not getattr(connection, "_test_serialized_contents", None):
        connection._test_serialized_contents = _MIGRATED_CONTENT["default"]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    _hand_back_migrated_content()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    _hand_back_migrated_content()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run .ci/run or apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core (from npm, shipped in node_modules) against the page, WCAG 2.2 A and AA."""
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}
        })"""
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
