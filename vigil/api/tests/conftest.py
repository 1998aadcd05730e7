"""Personas for the API: Alice's advocacy service (agency A) has a case shared with it, Bob's
(agency B) does not; a reporting app; the force's coordination system."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from vigil.accounts.models import Agency, Role, User
from vigil.accounts.tests.factories import AgencyFactory, UserFactory
from vigil.api.models import KIND_OPERATIONS, ApiClient, ClientKind
from vigil.api.services import api_client_create
from vigil.cases.models import Case
from vigil.cases.tests.factories import make_case
from vigil.sharing.parts import RISK, SUMMARY
from vigil.sharing.tests.factories import refer_and_accept


@dataclass
class Caller:
    """A client and its bearer token, calling the API in process."""

    client: ApiClient
    token: str

    def __call__(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        # As a real caller: Django's CSRF check on, as it is for every request outside tests.
        http = Client(enforce_csrf_checks=True)
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        if self.token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        kwargs: dict[str, Any] = {}
        if body is not None:
            kwargs = {"data": json.dumps(body), "content_type": "application/json"}
        return getattr(http, method.lower())(f"/api/v1{path}", **kwargs, **extra)


@pytest.fixture
def police_agency(db: None) -> Agency:
    return AgencyFactory(name="Test Police", kind=Agency.Kind.POLICE)


@pytest.fixture
def agency_a(db: None) -> Agency:
    return AgencyFactory(name="Alice Advocacy", kind=Agency.Kind.PARTNER)


@pytest.fixture
def agency_b(db: None) -> Agency:
    return AgencyFactory(name="Bob Helpline", kind=Agency.Kind.PARTNER)


@pytest.fixture
def coordinator(police_agency: Agency) -> User:
    return UserFactory(role=Role.COORDINATOR, agency=police_agency)


@pytest.fixture
def make_caller(db: None) -> Callable[..., Caller]:
    def make(
        kind: str,
        agency: Agency,
        *,
        name: str = "",
        operations: list[str] | None = None,
        **kwargs: Any,
    ) -> Caller:
        client, issued = api_client_create(
            name=name or f"{agency.name} {kind}",
            kind=kind,
            agency=agency,
            operations=sorted(KIND_OPERATIONS[kind]) if operations is None else operations,
            by=None,
            **kwargs,
        )
        return Caller(client, issued.secret)

    return make


@pytest.fixture
def alice(make_caller: Callable[..., Caller], agency_a: Agency) -> Caller:
    return make_caller(ClientKind.PARTNER_SYSTEM, agency_a)


@pytest.fixture
def bob(make_caller: Callable[..., Caller], agency_b: Agency) -> Caller:
    return make_caller(ClientKind.PARTNER_SYSTEM, agency_b)


@pytest.fixture
def reporting_app(make_caller: Callable[..., Caller], agency_a: Agency) -> Caller:
    return make_caller(ClientKind.REPORTING_APP, agency_a, name="Safe Report app")


@pytest.fixture
def coordination(make_caller: Callable[..., Caller], police_agency: Agency) -> Caller:
    return make_caller(ClientKind.COORDINATION, police_agency, name="Force coordination")


@pytest.fixture
def shared_case(coordinator: User, agency_a: Agency) -> Case:
    """A case shared with Alice's agency (with the victim's consent), not with Bob's."""
    case = make_case(by=coordinator)
    case.title = "Ex-partner"
    case.save(update_fields=["title"])
    refer_and_accept(case=case, agency=agency_a, by=coordinator, parts=[SUMMARY, RISK])
    return case
