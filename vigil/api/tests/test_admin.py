"""The configuration page for API clients: administrators only; a token is shown once."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.test import Client

from vigil.accounts.models import Agency, Role
from vigil.api.models import ApiClient, ApiToken
from vigil.api.tests.conftest import Caller

ADD = "/staff/admin/api/apiclient/add/"


def _form(agency: Agency) -> dict[str, object]:
    return {
        "name": "Alice's case system",
        "kind": "partner_system",
        "agency": str(agency.pk),
        "operations": ["cases:read", "risk:read"],
        "expires_at_0": "2027-12-01",
        "expires_at_1": "09:00:00",
        "rate_limit_per_minute": "60",
        "tokens-TOTAL_FORMS": "0",
        "tokens-INITIAL_FORMS": "0",
    }


def test_an_administrator_makes_a_client_and_sees_its_token_once(
    staff_client: Callable[..., Client], agency_a: Agency
) -> None:
    admin = staff_client(Role.ADMINISTRATOR, is_staff=True)
    response = admin.post(ADD, _form(agency_a))
    assert response.status_code == 200
    token = re.search(r'value="(vgl_[^"]+)"', response.content.decode())
    assert token is not None
    client = ApiClient.objects.get(name="Alice's case system")
    assert client.operations == ["cases:read", "risk:read"]
    assert Caller(client, token.group(1))("get", "/cases").status_code == 200
    # Only its hash is kept, and no page shows it again.
    assert not ApiToken.objects.filter(secret_hash__contains=token.group(1)).exists()
    page = admin.get(f"/staff/admin/api/apiclient/{client.pk}/change/")
    assert token.group(1) not in page.content.decode()


def test_an_operation_the_kind_cannot_have_is_refused(
    staff_client: Callable[..., Client], agency_a: Agency
) -> None:
    admin = staff_client(Role.ADMINISTRATOR, is_staff=True)
    form = {**_form(agency_a), "operations": ["links:read"]}
    response = admin.post(ADD, form)
    assert response.status_code == 200
    assert "This kind of client cannot be given: links:read." in response.content.decode()
    assert not ApiClient.objects.exists()


def test_a_new_token_is_issued_and_shown_once(
    staff_client: Callable[..., Client], alice: Caller
) -> None:
    admin = staff_client(Role.ADMINISTRATOR, is_staff=True)
    response = admin.post(
        "/staff/admin/api/apiclient/",
        {"action": "issue_token", "_selected_action": [str(alice.client.pk)]},
    )
    token = re.search(r'value="(vgl_[^"]+)"', response.content.decode())
    assert token is not None
    assert Caller(alice.client, token.group(1))("get", "/cases").status_code == 200
    assert alice.client.tokens.count() == 2


def test_revoking_a_client_stops_its_tokens(
    staff_client: Callable[..., Client], alice: Caller
) -> None:
    admin = staff_client(Role.ADMINISTRATOR, is_staff=True)
    admin.post(
        "/staff/admin/api/apiclient/",
        {"action": "revoke_clients", "_selected_action": [str(alice.client.pk)]},
    )
    assert alice("get", "/cases").status_code == 401


def test_other_staff_cannot_reach_api_clients(
    staff_client: Callable[..., Client], alice: Caller
) -> None:
    dpo = staff_client(Role.DPO, is_staff=True)
    # The admin is for administrators only: anyone else is sent to its sign-in page.
    listing = dpo.get("/staff/admin/api/apiclient/")
    assert listing.status_code == 302
    assert "/staff/admin/login/" in listing["Location"]
    assert dpo.post(ADD, {}).status_code == 302
    assert not ApiClient.objects.exclude(pk=alice.client.pk).exists()
