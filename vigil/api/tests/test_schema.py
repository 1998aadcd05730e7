"""The spec fuzzed with schemathesis, in process (WSGI, no network): for every operation, with a
token of each kind and with none, no answer is a 5xx and every answer matches the spec."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from vigil.accounts.models import Agency
from vigil.api.models import ClientKind
from vigil.api.tests.conftest import Caller
from vigil.cases.models import Case

# Bounded, and the same examples every run (derandomize): a failure here can be replayed.
FUZZ_EXAMPLES = 25


# A request can match the spec and still be refused with 422 for a rule no JSON Schema can
# say: a last date before the first, a file that is not a photo, a way of contact the victim did
# not choose. Those are the web form's own rules, and the answer says which field and why.
#
# The coverage phase (every boundary value of every field) takes minutes on a shared machine, so
# the normal run leaves it to VIGIL_API_FUZZ_DEEP=1 (see docs/api.md); the seeded examples and
# fuzzing phases run every time.
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20261201,
        "phases": {"coverage": {"enabled": os.environ.get("VIGIL_API_FUZZ_DEEP") == "1"}},
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "412", "422", "428", "429"]
            }
        },
    }
)
# Loaded from the app itself, through WSGI: no server, no network.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
)


@pytest.fixture(autouse=True)
def _keep_the_tests_connection() -> Iterator[None]:
    """As Django's test client does: a request's end must not close the connection that holds
    the test's transaction (on PostgreSQL it would)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(
    make_caller: Callable[..., Caller], agency_a: Agency, shared_case: Case
) -> dict[str, dict[str, str]]:
    """Headers for each way of calling: no token, and a token of each kind of client."""
    headers: dict[str, dict[str, str]] = {"no token": {}}
    for kind in ClientKind.values:
        # A limit the fuzzing does not reach: the limit itself has its own test.
        caller = make_caller(kind, agency_a, rate_limit_per_minute=100_000)
        headers[kind] = {"Authorization": f"Bearer {caller.token}"}
    return headers


@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_request_as_its_spec_says(
    case: Any, tokens: dict[str, dict[str, str]]
) -> None:
    for headers in tokens.values():
        case.call_and_validate(headers=headers)


def test_the_spec_is_openapi_3_1(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert spec["info"]["version"]
    for path in spec["paths"]:
        assert "{id}" not in path  # objects are named by UUID, never by number


def test_the_docs_page_uses_only_our_own_files(client: Any) -> None:
    response = client.get("/api/v1/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "{case_id}" in html
    assert "link-candidates" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html
    assert "Content-Security-Policy" in response.headers
