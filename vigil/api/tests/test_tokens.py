"""Tokens: hashed at rest, shown once, expiring, revocable, rate-limited, and every call audited."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from io import StringIO

import time_machine
from django.core.management import call_command
from django.utils import timezone

from vigil.accounts.models import Agency
from vigil.api.models import ApiClient, ApiToken, ClientKind
from vigil.api.services import api_client_revoke, api_token_revoke
from vigil.api.tests.conftest import Caller
from vigil.audit.models import AuditEvent


def test_a_token_is_kept_only_as_a_hash(alice: Caller) -> None:
    token = ApiToken.objects.get(client=alice.client)
    assert alice.token not in token.secret_hash
    assert token.prefix in alice.token
    assert len(token.secret_hash) == 64


def test_a_call_without_a_token_is_refused(alice: Caller) -> None:
    response = Caller(alice.client, "")("get", "/cases")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["status"] == 401


def test_an_unknown_token_is_refused(alice: Caller) -> None:
    response = Caller(alice.client, alice.token[:-4] + "abcd")("get", "/cases")
    assert response.status_code == 401


def test_a_revoked_token_is_refused(alice: Caller) -> None:
    assert alice("get", "/cases").status_code == 200
    api_token_revoke(token=ApiToken.objects.get(client=alice.client), by=None)
    response = alice("get", "/cases")
    assert response.status_code == 401
    assert response.json()["detail"] == "The token has been revoked."


def test_a_revoked_client_is_refused(alice: Caller) -> None:
    api_client_revoke(client=alice.client, by=None)
    assert alice("get", "/cases").status_code == 401


def test_an_expired_token_is_refused(alice: Caller) -> None:
    with time_machine.travel(alice.client.expires_at + datetime.timedelta(minutes=1)):
        response = alice("get", "/cases")
    assert response.status_code == 401
    assert response.json()["detail"] == "The token has expired."


def test_the_rate_limit_answers_429_with_retry_after(
    make_caller: Callable[..., Caller], agency_a: Agency
) -> None:
    caller = make_caller(ClientKind.PARTNER_SYSTEM, agency_a, rate_limit_per_minute=3)
    with time_machine.travel(timezone.now().replace(second=10), tick=False):
        statuses = [caller("get", "/cases").status_code for _ in range(4)]
        refused = caller("get", "/cases")
    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert refused["Retry-After"] == "50"


def test_the_rate_limit_starts_again_next_minute(
    make_caller: Callable[..., Caller], agency_a: Agency
) -> None:
    caller = make_caller(ClientKind.PARTNER_SYSTEM, agency_a, rate_limit_per_minute=1)
    start = timezone.now().replace(second=0)
    with time_machine.travel(start, tick=False):
        assert caller("get", "/cases").status_code == 200
        assert caller("get", "/cases").status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=1), tick=False):
        assert caller("get", "/cases").status_code == 200


def test_an_operation_not_given_is_refused(
    make_caller: Callable[..., Caller], agency_a: Agency
) -> None:
    caller = make_caller(ClientKind.PARTNER_SYSTEM, agency_a, operations=["risk:read"])
    response = caller("get", "/cases")
    assert response.status_code == 403
    assert "cases:read" in response.json()["detail"]


def test_every_call_is_audited_with_the_clients_name(alice: Caller) -> None:
    alice("get", "/cases")
    event = AuditEvent.objects.filter(action="api.call").latest("id")
    assert event.summary["client"] == alice.client.name
    assert event.summary["status"] == 200
    assert event.summary["route"].endswith("cases")
    assert alice.client.name in event.actor_label


def test_a_refused_call_by_a_known_client_is_audited(alice: Caller) -> None:
    api_token_revoke(token=ApiToken.objects.get(client=alice.client), by=None)
    alice("get", "/cases")
    event = AuditEvent.objects.filter(action="api.call").latest("id")
    assert event.summary == {**event.summary, "client": alice.client.name, "status": 401}


def test_the_command_makes_a_client_and_shows_its_token_once(agency_a: Agency) -> None:
    out = StringIO()
    call_command(
        "api_client_create",
        "Alice's case system",
        kind=ClientKind.PARTNER_SYSTEM,
        agency=agency_a.name,
        stdout=out,
    )
    token = out.getvalue().strip().splitlines()[-1]
    client = ApiClient.objects.get(name="Alice's case system")
    assert token.startswith("vgl_")
    assert not ApiToken.objects.filter(secret_hash__contains=token).exists()
    assert Caller(client, token)("get", "/cases").status_code == 200
    assert AuditEvent.objects.filter(action="api.client.create").count() == 1


def test_a_reporting_app_cannot_be_given_case_reads(
    make_caller: Callable[..., Caller], agency_a: Agency
) -> None:
    from vigil.api.services import ApiClientError

    try:
        make_caller(ClientKind.REPORTING_APP, agency_a, operations=["cases:read"])
    except ApiClientError as error:
        assert "cases:read" in error.messages[0]
    else:
        raise AssertionError("a reporting app was given cases:read")
