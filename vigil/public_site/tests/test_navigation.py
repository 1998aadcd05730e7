"""Someone who has reported finds "Check on my report" and "Your safety tools" from every page
(issue 16, point 10)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/get-help/", "/report/", "/report/track/", "/cookies/"])
def test_every_public_page_links_to_tracking_and_the_safety_tools(
    client: Client, path: str
) -> None:
    html = client.get(path).content.decode()
    assert 'href="/report/track/"' in html and "Check on my report" in html
    assert 'href="/safety/"' in html and "Your safety tools" in html


def test_the_home_page_promise_to_save_answers_is_kept(client: Client) -> None:
    html = client.get("/report/").content.decode()
    assert "Save and come back later" in html
    assert 'href="/report/resume/"' in html
