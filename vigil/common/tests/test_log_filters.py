"""Issue 14, finding 7: one-time tokens were in the access log."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from vigil.common.log_filters import redact_tokens

# Shaped like secrets.token_urlsafe(32); fixed, so every test worker collects the same tests.
TOKEN = "nr2aA-vkVqxh1lyrIh-rOd0ugRdlCZ-sip3NuGvSRmM"


def _patterns(
    resolver: URLResolver, prefix: str = ""
) -> Iterator[tuple[str, URLPattern | URLResolver]]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        else:
            yield route, entry


def _token_urls() -> list[str]:
    """Every URL whose path takes a token, with a real-looking token in it."""
    urls = []
    for route, entry in _patterns(get_resolver()):
        if "token" in route:
            path = "/" + route.replace("^", "").replace("$", "")
            path = path.replace("<str:token>", TOKEN).replace(
                "(?P<token>[A-Za-z0-9_-]{32,64})", TOKEN
            )
            urls.append(path)
            assert TOKEN in path, f"{entry.name}: add its token form to this test"
    return urls


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the configured handlers (runserver's access log, the console) would write."""
    stream = io.StringIO()
    names = ["", "django", "django.request", "django.server", "gunicorn.access"]
    handlers = {
        handler
        for name in names
        for handler in logging.getLogger(name).handlers
        if type(handler) is logging.StreamHandler  # not pytest's own capture
    }
    previous = {handler: handler.setStream(stream) for handler in handlers}  # type: ignore[attr-defined]
    yield stream
    for handler, old in previous.items():
        handler.setStream(old)  # type: ignore[attr-defined]


def test_every_url_with_a_token_is_redacted() -> None:
    urls = _token_urls()
    assert len(urls) >= 2
    for url in urls:
        redacted = redact_tokens(f'"GET {url} HTTP/1.1" 200 1234')
        assert TOKEN not in redacted
        assert "[token]" in redacted


def test_an_ordinary_page_under_the_same_path_is_left_alone() -> None:
    assert redact_tokens("GET /report/track/email/asked/") == "GET /report/track/email/asked/"


@pytest.mark.parametrize("url", _token_urls())
def test_the_access_log_line_never_holds_the_token(log_output: io.StringIO, url: str) -> None:
    logging.getLogger("django.server").info('"%s" %s %s', f"GET {url} HTTP/1.1", "200", "1234")
    logging.getLogger("gunicorn.access").info("%(r)s %(s)s", {"r": f"GET {url}", "s": "200"})
    written = log_output.getvalue()
    assert url.replace(TOKEN, "[token]") in written
    assert TOKEN not in written


@pytest.mark.django_db
def test_a_not_found_warning_never_holds_the_token(log_output: io.StringIO) -> None:
    response = Client().get(f"/report/track/email/{TOKEN}/extra/")
    assert response.status_code == 404
    written = log_output.getvalue()
    assert "Not Found" in written
    assert TOKEN not in written
