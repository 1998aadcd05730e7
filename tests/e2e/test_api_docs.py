"""The API's documentation page in a real browser: accessible, reflows at 320 px, and loads
nothing from anywhere but the site itself."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_page_is_accessible_and_self_hosted(page: Page, live_server: Any) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/api/v1/docs/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Vigil API")
    assert axe_violations(page) == []
    assert requested
    assert all(url.startswith(live_server.url) for url in requested)


def test_the_api_docs_page_reflows_on_a_phone(phone: Page, live_server: Any) -> None:
    phone.goto(f"{live_server.url}/api/v1/docs/")
    overflow = phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False
